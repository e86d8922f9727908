import type { AppContext } from "../context.js";
import { computeStats, STATS_WINDOWS, type StatsWindow } from "./compute-stats.js";

/**
 * The incidents declared in [from, now] and their missed or nudged clocks: what computeStats reads. The clocks
 * are selected by the incidents' window (a join), not a list of their ids, so the cost follows the window's size.
 */
export async function loadStatsRows(ctx: AppContext, from: Date, now: Date) {
  const window = { declaredAt: { gte: from, lte: now } };
  const incidents = await ctx.prisma.incident.findMany({
    where: window,
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
    where: { incident: window, OR: [{ breached: true }, { nudgedAt: { not: null } }] },
    select: { incidentId: true, kind: true, breached: true, nudgedAt: true },
  });
  return { incidents, clocks };
}

/** Reads the window's incidents and clocks and computes the statistics. */
export async function loadStats(ctx: AppContext, window: StatsWindow) {
  const now = ctx.clock.now();
  const { incidents, clocks } = await loadStatsRows(ctx, new Date(now.getTime() - STATS_WINDOWS[window] * 86_400_000), now);
  return computeStats(window, now, incidents, clocks);
}
