import { AppError } from "../errors.js";

export const STATS_WINDOWS = { "7d": 7, "30d": 30, "90d": 90 } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;
export const STATS_USAGE = "Usage: `/incident stats [7d|30d|90d]` (default 30d)";

export function parseStatsWindow(text: string): StatsWindow {
  const t = text.trim().toLowerCase() || "30d";
  if (t in STATS_WINDOWS) return t as StatsWindow;
  throw new AppError("usage", `"${text.trim()}" is not a window; use 7d, 30d or 90d.`, STATS_USAGE);
}

export interface StatsIncidentRow {
  id: number;
  severity: string;
  category: string | null;
  declaredAt: Date;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
}

export interface StatsClockRow {
  incidentId: number;
  kind: string;
  breached: boolean;
  nudgedAt: Date | null;
}

export interface Duration {
  /** Incidents that have both ends. */
  n: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface IncidentStats {
  window: StatsWindow;
  from: Date;
  to: Date;
  total: number;
  open: number;
  /** Mean time to acknowledge: detection → acknowledgement. */
  mtta: Duration;
  /** Mean time to resolve: detection → resolution. */
  mttr: Duration;
  /** Detection → mitigation (the seed's 15-minute rollback target). */
  timeToMitigate: Duration;
  bySeverity: Record<string, number>;
  byCategory: Record<string, number>;
  /** Clocks that missed their target (breached or nudged), per clock kind. */
  breachesByClock: Record<string, number>;
}

function duration(pairs: [Date, Date | null][]): Duration {
  const secs = pairs
    .filter((p): p is [Date, Date] => p[1] !== null)
    .map(([a, b]) => Math.max(0, (b.getTime() - a.getTime()) / 1000))
    .sort((x, y) => x - y);
  if (secs.length === 0) return { n: 0, meanSeconds: null, medianSeconds: null };
  const mid = Math.floor(secs.length / 2);
  const median = secs.length % 2 === 1 ? secs[mid]! : (secs[mid - 1]! + secs[mid]!) / 2;
  return { n: secs.length, meanSeconds: secs.reduce((s, x) => s + x, 0) / secs.length, medianSeconds: median };
}

function countBy<T>(rows: T[], key: (r: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

/** Incident statistics over the incidents declared in the window ending at `now`. Pure: rows in, numbers out. */
export function computeStats(window: StatsWindow, now: Date, incidents: StatsIncidentRow[], clocks: StatsClockRow[]): IncidentStats {
  const from = new Date(now.getTime() - STATS_WINDOWS[window] * 86_400_000);
  const inWindow = incidents.filter((i) => i.declaredAt >= from && i.declaredAt <= now);
  const ids = new Set(inWindow.map((i) => i.id));
  const missed = clocks.filter((c) => ids.has(c.incidentId) && (c.breached || c.nudgedAt !== null));
  return {
    window,
    from,
    to: now,
    total: inWindow.length,
    open: inWindow.filter((i) => !i.resolvedAt).length,
    mtta: duration(inWindow.map((i) => [i.detectedAt, i.acknowledgedAt])),
    mttr: duration(inWindow.map((i) => [i.detectedAt, i.resolvedAt])),
    timeToMitigate: duration(inWindow.map((i) => [i.detectedAt, i.mitigatedAt])),
    bySeverity: countBy(inWindow, (i) => i.severity),
    byCategory: countBy(inWindow, (i) => i.category ?? "unclassified"),
    breachesByClock: countBy(missed, (c) => c.kind),
  };
}
