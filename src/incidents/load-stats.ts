import type { AppContext } from "../context.js";
import { computeStats, STATS_WINDOWS, type StatsWindow } from "./compute-stats.js";

/** Reads the window's incidents and clocks and computes the statistics. */
export async function loadStats(ctx: AppContext, window: StatsWindow) {
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - STATS_WINDOWS[window] * 86_400_000);
  const incidents = await ctx.prisma.incident.findMany({
    where: { declaredAt: { gte: from, lte: now } },
    select: {
      id: true,
      severity: true,
      category: true,
      declaredAt: true,
      detectedAt: true,
      acknowledgedAt: true,
      mitigatedAt: true,
      resolvedAt: true,
    },
  });
  const clocks = await ctx.prisma.clock.findMany({
    where: { incidentId: { in: incidents.map((i) => i.id) }, OR: [{ breached: true }, { nudgedAt: { not: null } }] },
    select: { incidentId: true, kind: true, breached: true, nudgedAt: true },
  });
  return computeStats(window, now, incidents, clocks);
}
