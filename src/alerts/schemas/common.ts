import { z } from "zod";

// RFC 3339 as Go and PagerDuty write it: optional fraction (any digits), `Z`, `+02:00` or `+0000`.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:?\d{2})$/;

/** Parses a sender timestamp; `null` for Go's zero time (`0001-01-01T00:00:00Z` = "no end"), `undefined` if invalid. */
export function parseTimestamp(text: string): Date | null | undefined {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (year <= 1) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const offsetMinutes = parseOffset(m[8]);
  if (offsetMinutes === undefined) return undefined;
  // Not Date.UTC: it reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), millis);
  const utc = date.getTime() - offsetMinutes * 60_000;
  // 9999-12-31T23:59:59-23:59 is in year 10000 in UTC: its ISO form (+010000-…) is no timestamp to the database.
  if (utc > LATEST_UTC) return undefined;
  return new Date(utc);
}

const LATEST_UTC = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseOffset(zone: string): number | undefined {
  if (zone === "Z" || zone === "z") return 0;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

/** A timestamp string that becomes `Date | null` (null = Go zero time). */
export const TimestampSchema = z
  .string()
  .meta({ description: "RFC 3339 / ISO 8601 time, e.g. 2026-11-23T09:10:00Z, +02:00 or +0000 offsets accepted" })
  .transform((text, ctx) => {
    const parsed = parseTimestamp(text);
    if (parsed === undefined) {
      ctx.addIssue({ code: "custom", message: `invalid timestamp "${text.slice(0, 60)}": expected RFC 3339` });
      return z.NEVER;
    }
    return parsed;
  });

export const StringMapSchema = z.record(z.string(), z.string());

/**
 * The largest magnitude a metric number may have: 2^53 − 1. Beyond it a JSON integer is no longer read exactly
 * (9007199254740993 parses as …992), and Prisma refuses to pass such an integer-valued double to the database.
 * Non-integers (0.31) and tiny magnitudes (1e-320) are ordinary doubles and are fine.
 */
export const MAX_METRIC_MAGNITUDE = Number.MAX_SAFE_INTEGER;
export const METRIC_RANGE_MESSAGE = "must be a finite number within ±(2^53 − 1)";

/** Can this number be a metric value, baseline or std (see MAX_METRIC_MAGNITUDE)? */
export const isMetricNumber = (n: number) => Number.isFinite(n) && Math.abs(n) <= MAX_METRIC_MAGNITUDE;

/** A metric number as senders give it: the same rule on first sight and on every re-send. */
export const MetricNumberSchema = z
  .number()
  .min(-MAX_METRIC_MAGNITUDE, METRIC_RANGE_MESSAGE)
  .max(MAX_METRIC_MAGNITUDE, METRIC_RANGE_MESSAGE);
