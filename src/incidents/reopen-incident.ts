import { startClock } from "../clocks/start-clocks.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "./change-incident.js";
import { incidentRef } from "./naming.js";

export const REOPEN_USAGE = "Usage: `/incident reopen <reason>`";

/**
 * Reopens a resolved incident: back to investigating, resolution cleared, the mitigation and product-update
 * clocks (and the status page's when user-facing) restarted from now, the review marked incomplete. The ack
 * stays met: someone is already on it.
 */
export async function reopenIncident(ctx: AppContext, incidentId: number, actorId: string, reason: string) {
  const why = reason.trim();
  if (!why) throw new AppError("usage", "Say why the incident is reopened.", REOPEN_USAGE);
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    if (inc.status !== "resolved") {
      throw new AppError(
        "conflict",
        `${incidentRef(incidentId)} is not resolved (status: ${inc.status}); only a resolved incident can be reopened.`,
      );
    }
    if (inc.archivedAt) throw new AppError("conflict", `${incidentRef(incidentId)}'s channel is archived; declare a new incident instead.`);
    await startClock(tx, ctx.jobs, ctx.config, incidentId, "mitigate", now);
    await startClock(tx, ctx.jobs, ctx.config, incidentId, "product_update", now);
    if (inc.userFacing) await startClock(tx, ctx.jobs, ctx.config, incidentId, "status_page", now);
    await tx.review.updateMany({ where: { incidentId }, data: { completedAt: null, completedBy: null } });
    return {
      data: { status: "investigating", resolvedAt: null, mitigatedAt: null },
      events: [
        { event: { kind: "incident.reopened", data: { reason: why } }, text: `Reopened: ${why}` },
        { event: { kind: "status.changed", data: { from: "resolved", to: "investigating" } }, text: "Status resolved → investigating" },
      ],
      notice: { kind: "reopened", incidentId, actorId, reason: why },
    };
  });
}
