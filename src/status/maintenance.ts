import { createHash } from "node:crypto";
import { TZDate } from "@date-fns/tz";
import { AppError } from "../errors.js";
import type { StatusPageSettings } from "./page-file.js";

/**
 * Scheduled maintenance on the public page: a window (start, end), a public title and the components it affects.
 * Its status follows the clock, as Atlassian's `scheduled_auto_in_progress` / `scheduled_auto_completed` do:
 * scheduled → in progress at the start → completed at the end (or when someone completes it early).
 */
export const MAINTENANCE_STATUSES = ["scheduled", "in_progress", "completed"] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

export const MAINTENANCE_USAGE = [
  '`/incident maintenance schedule <YYYY-MM-DD> <HH:MM> for <2h|90m|1h30m> "<public title>" [components <id>,<id>]` — preview a maintenance window (times in TIMEZONE), then Publish',
  '`/incident maintenance schedule <YYYY-MM-DD> <HH:MM> until [<YYYY-MM-DD>] <HH:MM> "<public title>" [components …]` — the same with an end time',
  "`/incident maintenance list` — upcoming and in-progress maintenance",
  "`/incident maintenance complete <id>` — end a maintenance now · `/incident maintenance cancel <id>` — take it off the page",
].join("\n");

export const MAINTENANCE_NAME_MAX = 120;
const MAX_WINDOW_MS = 14 * 86_400_000;

export interface MaintenanceRequest {
  name: string;
  scheduledFor: Date;
  scheduledUntil: Date;
  components: string[];
}

export interface MaintenanceRow {
  id: number;
  name: string;
  components: unknown;
  scheduledFor: Date;
  scheduledUntil: Date;
  publishedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

/** The public id: derived, like an incident's, so row numbers are never in public URLs. */
export function maintenancePublicId(id: number): string {
  return createHash("sha256").update(`status-maintenance:${id}`).digest("hex").slice(0, 12);
}

/** When it ended: completed early, else its scheduled end once that has passed. */
export function maintenanceEnd(m: MaintenanceRow, now: Date): Date | null {
  if (m.completedAt) return m.completedAt;
  return m.scheduledUntil <= now ? m.scheduledUntil : null;
}

export function maintenanceStatus(m: MaintenanceRow, now: Date): MaintenanceStatus {
  if (maintenanceEnd(m, now)) return "completed";
  return m.scheduledFor <= now ? "in_progress" : "scheduled";
}

export const componentsOf = (m: { components: unknown }): string[] =>
  Array.isArray(m.components) ? m.components.filter((c): c is string => typeof c === "string") : [];

const usage = (message: string) => new AppError("usage", message, MAINTENANCE_USAGE);

/** A local date and time in `tz` → the instant; refuses dates that do not exist (2026-02-30, 25:00). */
function localInstant(date: string, time: string, tz: string, what: string): Date {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!d) throw usage(`The ${what} date must look like 2026-12-05, not "${date}".`);
  if (!t) throw usage(`The ${what} time must look like 02:00 (24-hour, ${tz}), not "${time}".`);
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  const probe = new Date(Date.UTC(y, mo - 1, da));
  if (mo < 1 || mo > 12 || probe.getUTCDate() !== da || probe.getUTCMonth() !== mo - 1)
    throw usage(`There is no date ${date}: the ${what} must be a real calendar date.`);
  if (h > 23 || mi > 59) throw usage(`There is no time ${time}: the ${what} time must be 00:00 to 23:59.`);
  return new Date(new TZDate(y, mo - 1, da, h, mi, tz).getTime());
}

/** `2h`, `90m`, `1h30m`, `1d` → milliseconds. */
function parseDuration(raw: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?$/i.exec(raw);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/**
 * Parses `schedule`'s arguments: `<date> <time> (for <duration> | until [<date>] <time>) "<title>" [components a,b]`.
 * Every mistake is a usage error saying which part is wrong. Components default to every component on the page.
 */
export function parseMaintenanceRequest(args: string, tz: string, settings: StatusPageSettings, now: Date): MaintenanceRequest {
  // Slack may turn straight quotes into curly ones.
  const quoted = /["“”]([^"“”]*)["“”]/.exec(args);
  if (!quoted) throw usage('Put the public title in quotes, e.g. "Database upgrade".');
  const name = quoted[1]!.trim();
  if (!name || name.length > MAINTENANCE_NAME_MAX)
    throw usage(`The public title must be 1 to ${MAINTENANCE_NAME_MAX} characters end users will read.`);
  const before = args.slice(0, quoted.index).trim().split(/\s+/).filter(Boolean);
  const after = args
    .slice(quoted.index + quoted[0].length)
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (before.length < 4) throw usage("Give the start date and time and then `for <duration>` or `until <time>`.");
  const [date, time, how, ...rest] = before as [string, string, string, ...string[]];
  const scheduledFor = localInstant(date, time, tz, "start");
  let scheduledUntil: Date;
  if (how.toLowerCase() === "for") {
    const ms = rest.length === 1 ? parseDuration(rest[0]!) : undefined;
    if (!ms) throw usage(`The duration must look like 2h, 90m or 1h30m, not "${rest.join(" ")}".`);
    scheduledUntil = new Date(scheduledFor.getTime() + ms);
  } else if (how.toLowerCase() === "until") {
    if (rest.length === 1) scheduledUntil = localInstant(date, rest[0]!, tz, "end");
    else if (rest.length === 2) scheduledUntil = localInstant(rest[0]!, rest[1]!, tz, "end");
    else throw usage("After `until` give the end time (and its date if another day), e.g. `until 04:00`.");
  } else {
    throw usage(`After the start time say \`for <duration>\` or \`until <time>\`, not "${how}".`);
  }
  if (scheduledUntil <= scheduledFor) throw usage("The end must be after the start.");
  if (scheduledUntil.getTime() - scheduledFor.getTime() > MAX_WINDOW_MS) throw usage("A maintenance window can be at most 14 days.");
  if (scheduledUntil <= now) throw usage("That window is already over; give a start and end in the future.");

  const ids = settings.components.map((c) => c.id);
  let components = ids;
  if (after.length) {
    if (after[0]!.toLowerCase() !== "components" || after.length !== 2)
      throw usage(`After the title only \`components <id>,<id>\` may follow. Components: ${ids.map((i) => `\`${i}\``).join(", ")}.`);
    components = [
      ...new Set(
        after[1]!
          .split(",")
          .map((c) => c.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const unknown = components.filter((c) => !ids.includes(c));
    if (unknown.length || !components.length)
      throw usage(
        `${unknown.length ? `There is no component ${unknown.map((u) => `"${u}"`).join(", ")}` : "Name at least one component"}. Components: ${ids.map((i) => `\`${i}\``).join(", ")}.`,
      );
  }
  return { name, scheduledFor, scheduledUntil, components };
}
