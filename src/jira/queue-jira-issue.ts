import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { incidentRef } from "../incidents/naming.js";

type Tx = Prisma.TransactionClient;

/** The label that finds an action item's issue again (after a crash between Jira's 201 and our record). */
export const actionItemLabel = (actionItemId: number) => `incident-bot-action-${actionItemId}`;
/** The label every issue of one incident carries. */
export const incidentLabel = (incidentId: number) => `incident-${incidentRef(incidentId)}`;

/**
 * Owes a Jira issue for an action item, in the caller's transaction: the job exists if and only if the item does.
 * A failed one (Jira refused it) is owed again, so `/incident review` retries it. Off (false) without Jira.
 */
export async function queueJiraIssue(ctx: AppContext, tx: Tx, actionItemId: number): Promise<boolean> {
  if (!ctx.config.jira) return false;
  const owed = await tx.actionItem.updateMany({
    where: { id: actionItemId, jiraKey: null, OR: [{ jiraState: null }, { jiraState: "failed" }] },
    data: { jiraState: "pending", jiraError: null, jiraNoticedAt: null, jiraAttempts: 0 },
  });
  if (owed.count === 0) return false;
  await ctx.jobs.sendInTx(tx, "jiraIssue", { actionItemId });
  return true;
}

/** Every action item of the incident that has no Jira issue yet (added before Jira was set up, or refused): owed now. */
export async function queueOwedJiraIssues(ctx: AppContext, tx: Tx, incidentId: number): Promise<number> {
  if (!ctx.config.jira) return 0;
  const items = await tx.actionItem.findMany({
    where: { incidentId, jiraKey: null, OR: [{ jiraState: null }, { jiraState: "failed" }] },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  let n = 0;
  for (const i of items) if (await queueJiraIssue(ctx, tx, i.id)) n++;
  return n;
}

/**
 * Start-up: a process killed while creating an issue leaves its job active until pg-boss expires it; owe those
 * again now, due when the dead worker's lease runs out (the job looks the issue up by label before creating).
 */
export async function resumeJiraIssues(ctx: AppContext): Promise<void> {
  if (!ctx.config.jira) return;
  const pending = await ctx.prisma.actionItem.findMany({
    where: { jiraState: "pending", jiraKey: null },
    select: { id: true, jiraLeaseUntil: true },
  });
  const now = ctx.clock.now().getTime();
  for (const p of pending) {
    const startAfter = p.jiraLeaseUntil && p.jiraLeaseUntil.getTime() > now ? new Date(p.jiraLeaseUntil.getTime() + 250) : undefined;
    await ctx.jobs.send("jiraIssue", { actionItemId: p.id }, startAfter ? { startAfter } : {});
  }
  if (pending.length) ctx.log.info({ count: pending.length }, "jira: resumed owed issues");
}
