import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import type { JobData } from "../jobs/payloads.js";
import { changeIncident } from "../incidents/change-incident.js";
import { archiveSchedule } from "./archive-channels.js";
import { localDay } from "./local-time.js";
import { incidentRef } from "../incidents/naming.js";

/** Job payloads of the `housekeeping` queue. */
export type HousekeepingJob = JobData<"housekeeping">;

/**
 * Marks the review complete: stops the daily reminders and starts the archive countdown (warning a day
 * before ARCHIVE_AFTER_DAYS). The wake-up jobs only trigger the sweep; it decides from the clock.
 */
export async function completeReview(ctx: AppContext, incidentId: number, actorId: string) {
  const { result } = await changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    const review = await tx.review.findUnique({ where: { incidentId } });
    if (!review) throw new AppError("conflict", `${incidentRef(incidentId)} has no review draft yet; run \`/incident review\` first.`);
    if (review.completedAt) return { result: { already: true, archiveOn: null as string | null } };
    if (inc.status !== "resolved") {
      throw new AppError("conflict", `${incidentRef(incidentId)} is not resolved yet; resolve it before completing its review.`);
    }
    await tx.review.update({ where: { incidentId }, data: { completedAt: now, completedBy: actorId } });
    const { warnAt, archiveAt } = archiveSchedule(ctx.config, now);
    await ctx.jobs.sendInTx(tx, "housekeeping", { kind: "sweep" }, { startAfter: warnAt });
    await ctx.jobs.sendInTx(tx, "housekeeping", { kind: "sweep" }, { startAfter: archiveAt });
    await ctx.jobs.sendInTx(tx, "housekeeping", { kind: "review-message", incidentId });
    const archiveOn = localDay(archiveAt, ctx.config.timezone);
    return {
      events: [{ event: { kind: "review.completed", data: {} }, text: "Post-incident review marked complete" }],
      announce: {
        text: `✅ <@${actorId}> marked the post-incident review complete. This channel will be archived on ${archiveOn} (${ctx.config.timezone}), with a warning the day before.`,
      },
      result: { already: false, archiveOn },
    };
  });
  return result!;
}
