import type { PrismaClient } from "../generated/prisma/client.js";
import { directQuery } from "../db/direct-sql.js";

/**
 * Workspace-wide Slack pacing for replicas on one PostgreSQL: one token bucket row per method (and per channel
 * for chat.postMessage) in "SlackRateBucket", taken with a single atomic statement (the row lock serialises
 * replicas; the database's clock is the only clock, so replicas' clock skew does not matter). Chosen over
 * Bottleneck's clustering because that needs Redis, a store this deployment does not otherwise have.
 *
 * A bucket of one token refills at (perWindow - 1) per window: calls are spaced evenly and any window holds at
 * most perWindow calls across all replicas (a burst allowance would only bring the 429s Slack answers to bursts
 * over its per-minute tier). A 429's Retry-After is stored as pausedUntil and every replica waits it out.
 */
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

const ENSURE = `INSERT INTO "SlackRateBucket" ("key", "tokens", "refilledAt") VALUES ($1::text, $2::float8, ${UTC_NOW})
  ON CONFLICT ("key") DO NOTHING`;

const TAKE = `WITH cur AS (
    SELECT "key", "pausedUntil",
      LEAST($2::float8, "tokens" + GREATEST(0, EXTRACT(EPOCH FROM (${UTC_NOW} - "refilledAt")) * 1000) * $3::float8) AS avail,
      ("pausedUntil" IS NOT NULL AND "pausedUntil" > ${UTC_NOW}) AS paused
    FROM "SlackRateBucket" WHERE "key" = $1::text FOR UPDATE
  )
  UPDATE "SlackRateBucket" b
  SET "tokens" = CASE WHEN cur.avail >= 1 AND NOT cur.paused THEN cur.avail - 1 ELSE cur.avail END, "refilledAt" = ${UTC_NOW}
  FROM cur WHERE b."key" = cur."key"
  RETURNING (cur.avail >= 1 AND NOT cur.paused) AS granted, cur.avail::float8 AS avail,
    CASE WHEN cur.paused THEN EXTRACT(EPOCH FROM (cur."pausedUntil" - ${UTC_NOW})) * 1000 ELSE 0 END::float8 AS "pauseMs"`;

const PAUSE = `UPDATE "SlackRateBucket" SET "pausedUntil" = GREATEST(COALESCE("pausedUntil", ${UTC_NOW}), ${UTC_NOW} + $2::float8 * interval '1 millisecond')
  WHERE "key" = $1::text`;

export interface BucketLimit {
  perWindow: number;
  windowMs: number;
}

export class SharedPacer {
  private readonly ensured = new Set<string>();
  /** Times a caller found its bucket empty or paused (a figure for bench/replicas). */
  waits = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** Waits until this replica may make one call under `key`'s workspace-wide budget. */
  async take(key: string, limit: BucketLimit): Promise<void> {
    const burst = 1;
    const perMs = Math.max(limit.perWindow - burst, 1) / limit.windowMs;
    if (!this.ensured.has(key)) {
      await directQuery(this.prisma, ENSURE, [key, String(burst)]);
      this.ensured.add(key);
    }
    for (;;) {
      const [row] = await directQuery<{ granted: boolean; avail: number | string; pauseMs: number | string }>(this.prisma, TAKE, [
        key,
        String(burst),
        String(perMs),
      ]);
      if (!row) {
        // The row went away (a test dropped it): make it again.
        await directQuery(this.prisma, ENSURE, [key, String(burst)]);
        continue;
      }
      if (row.granted === true || String(row.granted) === "true") return;
      this.waits++;
      const pauseMs = Number(row.pauseMs);
      const refillMs = (1 - Number(row.avail)) / perMs;
      // A little jitter so replicas waiting on one bucket do not all ask again at the same instant.
      await new Promise((r) => setTimeout(r, Math.max(pauseMs, refillMs, 5) + Math.random() * 20));
    }
  }

  /** Slack answered 429 with Retry-After: every replica holds `key` back that long. */
  async pause(key: string, ms: number): Promise<void> {
    await directQuery(this.prisma, PAUSE, [key, String(ms)]);
  }
}
