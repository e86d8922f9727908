import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { incidentRef } from "../incidents/naming.js";

type Tx = Prisma.TransactionClient;

/** The incident's own alert in PagerDuty. */
export const incidentDedupKey = (incidentId: number) => `incident-bot/${incidentRef(incidentId)}`;

/** `incident-bot/INC-<n>` (and its `/page-<k>` alerts) → n; anything else → null. */
export function incidentIdFromDedupKey(key: string): number | null {
  const m = /^incident-bot\/INC-(\d+)(?:\/page-\d+)?$/.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * Owes a PagerDuty trigger for the incident's alert (P1, an escalation at twice a target), in the caller's
 * transaction. Once per alert: a second reason to trigger an alert already triggered adds nothing (PagerDuty would
 * only log it). Off (returns false) without PAGERDUTY_ROUTING_KEY.
 */
export async function queueTrigger(
  ctx: AppContext,
  tx: Tx,
  incidentId: number,
  reason: string,
  opts: { actorId?: string | null; message?: string; dedupKey?: string } = {},
): Promise<boolean> {
  if (!ctx.config.pagerduty) return false;
  const dedupKey = opts.dedupKey ?? incidentDedupKey(incidentId);
  const requestKey = `trigger:${dedupKey}`;
  if (await tx.pageEvent.findUnique({ where: { requestKey } })) return false;
  const row = await tx.pageEvent.create({
    data: { incidentId, requestKey, action: "trigger", dedupKey, reason, message: opts.message ?? null, actorId: opts.actorId ?? null },
  });
  await ctx.jobs.sendInTx(tx, "pageSend", { pageId: row.id });
  return true;
}

/** Owes an acknowledge / resolve for every alert the bot triggered for the incident (nothing when it triggered none). */
export async function queueFollowUp(
  ctx: AppContext,
  tx: Tx,
  incidentId: number,
  action: "acknowledge" | "resolve",
  actorId: string | null,
) {
  if (!ctx.config.pagerduty) return 0;
  const triggered = await tx.pageEvent.findMany({
    where: { incidentId, action: "trigger", state: { not: "rejected" } },
    orderBy: { id: "asc" },
  });
  let queued = 0;
  for (const t of triggered) {
    const requestKey = `${action}:${t.dedupKey}`;
    if (await tx.pageEvent.findUnique({ where: { requestKey } })) continue;
    const row = await tx.pageEvent.create({ data: { incidentId, requestKey, action, dedupKey: t.dedupKey, reason: action, actorId } });
    await ctx.jobs.sendInTx(tx, "pageSend", { pageId: row.id });
    queued++;
  }
  return queued;
}
