import type { AppContext } from "../context.js";
import { type PostJob, runPostJob } from "../incidents/post-to-channel.js";
import { provisionIncident } from "../incidents/provision-incident.js";
import { renderIncident } from "../incidents/render-incident.js";

export type WorkerRegistrar = (ctx: AppContext) => Promise<void>;

/** The job handlers of the incident core. Other areas register theirs beside these (see app.ts). */
export const registerIncidentWorkers: WorkerRegistrar = async (ctx) => {
  // Up to 16 declarations are set up in parallel: each spends its time waiting on Slack, not on us.
  await ctx.jobs.work<{ incidentId: number }>(
    "provision",
    async ({ incidentId }) => {
      await provisionIncident(ctx, incidentId);
    },
    16,
  );
  await ctx.jobs.work<{ incidentId: number }>("render", async ({ incidentId }) => {
    await renderIncident(ctx, incidentId);
  });
  await ctx.jobs.work<PostJob>("post", async (job) => {
    await runPostJob(ctx, job);
  });
};

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
  const waiting = await ctx.jobs.waitingIds("provision", "incidentId", stale.map((s) => s.id));
  const lost = stale.filter((s) => !waiting.has(s.id));
  for (const { id } of lost) await ctx.jobs.send("provision", { incidentId: id });
  return lost.length;
}
