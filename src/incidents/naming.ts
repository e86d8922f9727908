import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";

export const incidentRef = (id: number) => `INC-${id}`;

/** "INC-42" or "42" → 42; anything else → null. */
export function parseIncidentRef(text: string): number | null {
  const m = /^(?:inc-)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

/** Lowercase ASCII words joined by hyphens; empty when the title has no ASCII letters or digits. */
export function slugify(title: string, max = 60): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, max).replace(/-+$/g, "");
}

/**
 * CONTRACT: `inc-YYYYMMDD-<slug>`, lowercase, at most 80 characters, date in TIMEZONE, slug falling back
 * to `incident-<n>`; `suffix` (2, 3, …) is appended when the name is taken.
 */
export function channelName(input: { id: number; title: string; declaredAt: Date; timezone: string }, suffix = 1) {
  const date = format(new TZDate(input.declaredAt, input.timezone), "yyyyMMdd");
  const tail = suffix > 1 ? `-${suffix}` : "";
  const prefix = `inc-${date}-`;
  const room = 80 - prefix.length - tail.length;
  const slug = slugify(input.title, room) || `incident-${input.id}`;
  return `${prefix}${slug.slice(0, room).replace(/-+$/g, "")}${tail}`;
}

/**
 * The suffix to try after Slack answered name_taken `misses` times in a row (names made outside the bot).
 * One step at first, so numbering stays -2, -3, …; then randomised jumps that double, so a long run of taken
 * names costs O(log n) calls and concurrent retries spread out instead of colliding on the same next name.
 */
export function suffixAfterTaken(suffix: number, misses: number, random: () => number = Math.random): number {
  if (misses <= 2) return suffix + 1;
  const span = 2 ** Math.min(misses - 2, 20);
  return suffix + 1 + Math.floor(random() * span);
}
