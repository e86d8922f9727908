import { startRecoveryWatch } from "../models/recovery-watch.js";
import { meetClock, stopClocks } from "../clocks/meet-clock.js";
import { notifyStatusChange } from "../clocks/notify-status-change.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { queueFollowUp } from "../paging/queue-page.js";
import { type Change, changeIncident } from "./change-incident.js";
import type { IncidentStatus } from "./types.js";
import { incidentRef } from "./naming.js";
import { rootCauseChange } from "./record-root-cause.js";

/**
 * Status changes. identified records when the root cause was found; mitigated meets the mitigation
 * clock; resolved also stops every clock but the leadership summary, releases the incident's alert keys
 * and queues the review draft.
 */
export async function setStatus(ctx: AppContext, incidentId: number, actorId: string, status: IncidentStatus, summary?: string) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now): Promise<Change<boolean>> => {
    if (inc.status === status && status !== "resolved") return { result: false };
    if (inc.status === "resolved" && status === "resolved") {
      throw new AppError("conflict", `${incidentRef(incidentId)} is already resolved. Use \`/incident reopen <reason>\` to reopen it.`);
    }
    if (inc.status === "resolved") {
      throw new AppError("conflict", `${incidentRef(incidentId)} is resolved; reopen it first with \`/incident reopen <reason>\`.`);
    }
    const data: Change["data"] = { status };
    const events: NonNullable<Change["events"]> = [
      { event: { kind: "status.changed", data: { from: inc.status, to: status } }, text: `Status ${inc.status} → ${status}` },
    ];
    if (status === "identified" && !inc.identifiedAt) data.identifiedAt = now;
    // `status identified <text>`: the text is the root cause, recorded as `cause <text>` would.
    const cause = status === "identified" ? summary?.trim() : undefined;
    if (cause) {
      const rc = rootCauseChange(inc, cause, now);
      Object.assign(data, rc.data);
      events.push(...rc.events!);
    }
    if ((status === "mitigated" || status === "resolved") && !inc.mitigatedAt) {
      data.mitigatedAt = now;
      await meetClock(tx, incidentId, "mitigate", now, actorId);
    }
    if (status === "mitigated" && inc.modelName) await startRecoveryWatch(ctx, tx, incidentId, now);
    if (status === "resolved") {
      data.resolvedAt = now;
      data.resolutionSummary = summary?.trim() || inc.resolutionSummary;
      await stopClocks(tx, incidentId, ["ack", "mitigate", "product_update", "status_page"], now);
      await tx.incidentAlertKey.deleteMany({ where: { incidentId } });
      events.push({
        event: { kind: "incident.resolved", data: { summary: summary?.trim() || null } },
        text: summary?.trim() ? `Resolved: ${summary.trim()}` : "Resolved",
      });
      await ctx.jobs.sendInTx(tx, "housekeeping", { kind: "incident-resolved", incidentId });
      await ctx.jobs.sendInTx(tx, "statusResolvedOffer", { incidentId }); // the status page's resolved update (issue 15)
      await queueFollowUp(ctx, tx, incidentId, "resolve", actorId); // the PagerDuty alerts the bot triggered
    }
    await notifyStatusChange(ctx, tx, inc, { from: inc.status, to: status, actorId, summary: summary?.trim() || null, at: now });
    return {
      data,
      events,
      notice: { kind: "status", incidentId, actorId, status, summary: summary?.trim() || null },
      result: true,
    };
  });
}
