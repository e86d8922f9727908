import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { RawTx } from "../jobs/queue.js";
import { recordEvent } from "../timeline/record-event.js";

/**
 * After a model incident is mitigated (a verified rollback, or `status mitigated`): once RECOVERY_WATCH_SECONDS have
 * passed, the alerts that opened it should have resolved. Queued in the transaction that mitigates.
 */
export async function startRecoveryWatch(ctx: AppContext, tx: RawTx, incidentId: number, now: Date): Promise<void> {
  const due = new Date(now.getTime() + ctx.config.recoveryWatchSeconds * 1000);
  await ctx.jobs.sendInTx(tx, "recoveryWatch", { incidentId }, { startAfter: due, singletonKey: `recovery-${incidentId}` });
}

/** What the nudge names: the lead and the alerts still firing. */
export interface RecoveryNudge {
  incidentId: number;
  channelId: string | null;
  leadId: string | null;
  seconds: number;
  alerts: { id: number; title: string; source: string }[];
}

/**
 * Job `recoveryWatch`: alerts of the incident still firing → one timeline event and one nudge to the lead (the
 * event's source key makes it once, whatever the retries). All resolved (already said by the alert intake) → nothing.
 */
export async function checkRecovery(ctx: AppContext, incidentId: number): Promise<void> {
  const now = ctx.clock.now();
  await ctx.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    const inc = await tx.incident.findUnique({ where: { id: incidentId }, select: { status: true, mitigatedAt: true } });
    if (!inc || inc.status !== "mitigated") return; // resolved meanwhile, or reopened into work again
    const firing = await tx.alert.findMany({ where: { incidentId, status: "firing" }, select: { id: true }, orderBy: { id: "asc" } });
    if (!firing.length) return;
    const sourceKey = "recovery-overdue";
    const seen = await tx.timelineEvent.findUnique({ where: { incidentId_sourceKey: { incidentId, sourceKey } }, select: { id: true } });
    if (seen) return;
    const seconds = ctx.config.recoveryWatchSeconds;
    await recordEvent(
      tx,
      incidentId,
      { kind: "model.recovery_overdue", data: { alertIds: firing.map((a) => a.id), seconds } },
      {
        at: now,
        actorId: null,
        text: `${firing.length} alert(s) still firing ${Math.round(seconds / 60)} min after mitigation`,
        sourceKey,
      },
    );
    await ctx.jobs.sendInTx(tx, "recoveryNotice", { incidentId });
  });
}

/** The nudge's facts, read when it is posted. */
export async function loadRecoveryNudge(ctx: AppContext, incidentId: number): Promise<RecoveryNudge | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, leadId: true } });
  if (!inc) return null;
  const ev = await ctx.prisma.timelineEvent.findUnique({ where: { incidentId_sourceKey: { incidentId, sourceKey: "recovery-overdue" } } });
  const data = (ev?.data ?? {}) as { alertIds?: number[]; seconds?: number };
  const alerts = await ctx.prisma.alert.findMany({
    where: { id: { in: data.alertIds ?? [] } },
    select: { id: true, title: true, source: true },
    orderBy: { id: "asc" },
  });
  return { incidentId, channelId: inc.channelId, leadId: inc.leadId, seconds: data.seconds ?? ctx.config.recoveryWatchSeconds, alerts };
}
