import type { Config } from "../config.js";

/** The seed's communication and response targets, one clock each. */
export const CLOCK_KINDS = ["ack", "mitigate", "product_update", "status_page", "leadership_summary"] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const CLOCK_LABELS: Record<ClockKind, string> = {
  ack: "Acknowledge",
  mitigate: "Mitigation",
  product_update: "Product / business update",
  status_page: "Status page update",
  leadership_summary: "Leadership summary",
};

/** What meeting each clock means, for the timeline ("Acknowledged 3 minutes late (target 5 minutes)"). */
export const CLOCK_DONE: Record<ClockKind, string> = {
  ack: "Acknowledged",
  mitigate: "Mitigated",
  product_update: "Product / business update sent",
  status_page: "Status page updated",
  leadership_summary: "Leadership summary sent",
};

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** "42 seconds", "5 minutes", "24 hours": whole hours and minutes as such, else rounded to the minute (seconds under one). */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return plural(s, "second");
  if (s % 3600 === 0) return plural(s / 3600, "hour");
  return plural(Math.round(s / 60), "minute");
}

/**
 * The one timeline line for a clock that was met: on time, or how late against its target. A clock nudged
 * earlier ("target missed") is thereby closed with one consistent line, never "target met" after "missed".
 */
export function clockMetText(kind: ClockKind, clock: { startedAt: Date; dueAt: Date; targetSeconds: number }, at: Date): string {
  const target = durationText(clock.targetSeconds);
  if (at > clock.dueAt) return `${CLOCK_DONE[kind]} ${durationText((at.getTime() - clock.dueAt.getTime()) / 1000)} late (target ${target})`;
  return `${CLOCK_DONE[kind]} within the ${target} target (${durationText((at.getTime() - clock.startedAt.getTime()) / 1000)})`;
}

export function targetSeconds(config: Config, kind: ClockKind): number {
  switch (kind) {
    case "ack":
      return config.targets.ack;
    case "mitigate":
      return config.targets.mitigate;
    case "product_update":
      return config.targets.productUpdate;
    case "status_page":
      return config.targets.statusPage;
    case "leadership_summary":
      return config.targets.leadershipSummary;
  }
}
