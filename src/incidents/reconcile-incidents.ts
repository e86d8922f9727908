import type { AppContext } from "../context.js";

/**
 * Safety net for work whose job was lost (a crash between commit and the job running, or a job left
 * "active" by a killed process): incidents whose Slack side is unfinished and whose lease is free.
 */
export async function reconcileIncidents(ctx: AppContext, olderThanSeconds = 3): Promise<number> {
  const now = ctx.clock.now();
  const stale = await ctx.prisma.incident.findMany({
    where: {
      provisionedAt: null,
      declaredAt: { lt: new Date(now.getTime() - olderThanSeconds * 1000) },
      OR: [{ provisionLease: null }, { provisionLease: { lt: now } }],
    },
    select: { id: true },
    take: 100,
  });
  const waiting = await ctx.jobs.waitingIds(
    "provision",
    "incidentId",
    stale.map((s) => s.id),
  );
  const lost = stale.filter((s) => !waiting.has(s.id));
  for (const { id } of lost) await ctx.jobs.send("provision", { incidentId: id });
  return lost.length;
}

/** Start-up task: reconcile at once (whatever the age), then every `everyMs` while the process runs. */
export async function startReconciler(ctx: AppContext, everyMs: number): Promise<() => void> {
  await reconcileIncidents(ctx, 0);
  const timer = setInterval(() => {
    reconcileIncidents(ctx).catch((err) => ctx.log.warn({ err }, "reconcile failed"));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
