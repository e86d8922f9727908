import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";

/**
 * The review message counts and lists the action items (with their Jira issues): refresh it in place when one
 * changes. Only once it is posted: until then the review job posts it with the items as they are then, and a
 * refresh now could post it a second time.
 */
export async function queueReviewRefresh(ctx: AppContext, tx: Prisma.TransactionClient, incidentId: number): Promise<void> {
  const review = await tx.review.findUnique({ where: { incidentId }, select: { messageTs: true } });
  if (review?.messageTs) await ctx.jobs.sendInTx(tx, "housekeeping", { kind: "review-message", incidentId });
}
