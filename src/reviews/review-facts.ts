import { senderName } from "../alerts/alert-view.js";
import { differenceInMinutes } from "date-fns";
import { CLOCK_LABELS, type ClockKind } from "../clocks/kinds.js";

/** What the bot knows about how an incident went, as plain rows (no database). */
export interface ReviewFactsInput {
  detectedAt: Date;
  mitigatedAt: Date | null;
  declaredBy: string;
  /** MITIGATE_TARGET_SECONDS: the seed's 15-minute rollback target. */
  mitigateTargetSeconds: number;
  clocks: {
    kind: string;
    targetSeconds: number;
    startedAt: Date;
    dueAt: Date;
    metAt: Date | null;
    stoppedAt: Date | null;
    nudgedAt: Date | null;
    breached: boolean;
  }[];
  alerts: { title: string; source: string; sourceName?: string | null; count: number }[];
  /** Manual stakeholder updates sent (`update`), automatic status posts excluded. */
  stakeholderUpdates: number;
  playbook: { total: number; open: number; unowned: number };
}

/** An alert re-sent this often (or this many alerts on one incident) counts as noisy. */
export const NOISY_ALERT_COUNT = 5;

const minutes = (from: Date, to: Date) => Math.max(0, differenceInMinutes(to, from));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** "7 minutes", or "42 seconds" under a minute (short targets would otherwise read "took 0 minutes"). */
const elapsed = (from: Date, to: Date) => {
  const secs = Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));
  return secs < 60 ? plural(secs, "second") : plural(minutes(from, to), "minute");
};
const target = (seconds: number) =>
  seconds >= 3600 && seconds % 3600 === 0
    ? plural(seconds / 3600, "hour")
    : seconds % 60 === 0
      ? plural(seconds / 60, "minute")
      : plural(seconds, "second");

/**
 * Proposed WHAT WENT WELL / WHAT WENT POORLY lines from facts: clocks met in time or breached, how long the
 * mitigation took against its target, noisy alerts, stakeholder updates. People edit them at the review.
 */
export function proposeReviewFacts(f: ReviewFactsInput): { wentWell: string[]; wentPoorly: string[] } {
  const well: string[] = [];
  const poorly: string[] = [];

  if (f.declaredBy.startsWith("alert:")) {
    const route = f.declaredBy.slice(6);
    const opener = f.alerts.find((a) => a.source === route);
    well.push(`Detected automatically by the ${opener ? senderName(opener) : route} alert`);
  }

  if (f.mitigatedAt) {
    const took = minutes(f.detectedAt, f.mitigatedAt);
    if (took * 60 <= f.mitigateTargetSeconds) {
      well.push(
        `Mitigation (rollback) applied ${elapsed(f.detectedAt, f.mitigatedAt)} after detection, within the ${target(f.mitigateTargetSeconds)} target`,
      );
    } else {
      poorly.push(
        `Mitigation (rollback) took ${plural(took, "minute")} after detection, over the ${target(f.mitigateTargetSeconds)} target`,
      );
    }
  } else {
    poorly.push("No mitigation time was recorded (`/incident status mitigated`)");
  }

  // Mitigation is judged above from the timestamps; the other clocks from their rows.
  for (const c of f.clocks) {
    if (c.kind === "mitigate") continue;
    const label = CLOCK_LABELS[c.kind as ClockKind] ?? c.kind;
    const late = c.breached || c.nudgedAt !== null || (c.metAt !== null && c.metAt > c.dueAt);
    if (c.metAt && !late) {
      well.push(`${label} within the ${target(c.targetSeconds)} target (${elapsed(c.startedAt, c.metAt)})`);
    } else if (c.metAt) {
      poorly.push(`${label} missed the ${target(c.targetSeconds)} target (took ${elapsed(c.startedAt, c.metAt)})`);
    } else if (late || (c.stoppedAt && c.stoppedAt > c.dueAt)) {
      poorly.push(`${label} missed the ${target(c.targetSeconds)} target`);
    }
  }

  for (const a of f.alerts) {
    if (a.count >= NOISY_ALERT_COUNT) poorly.push(`Alert "${a.title}" (${a.source}) was noisy: received ${a.count} times`);
  }
  if (f.alerts.length >= NOISY_ALERT_COUNT)
    poorly.push(`${f.alerts.length} different alerts fired for this one incident: consider grouping them`);

  if (f.stakeholderUpdates > 0) well.push(`${plural(f.stakeholderUpdates, "stakeholder update")} sent`);
  else poorly.push("No stakeholder update was sent (`/incident update`)");

  if (f.playbook.total > 0) {
    if (f.playbook.open === 0) well.push("Every playbook item was done or marked N/A");
    else poorly.push(`${plural(f.playbook.open, "playbook item")} left open`);
    if (f.playbook.unowned > 0) poorly.push(`${plural(f.playbook.unowned, "playbook item")} never had an owner`);
  }
  return { wentWell: well, wentPoorly: poorly };
}
