import type { PrismaClient } from "../generated/prisma/client.js";
import { directQuery } from "../db/direct-sql.js";

/**
 * Workspace-wide Slack pacing for replicas on one PostgreSQL: one row per method (and per channel for
 * chat.postMessage) in "SlackRateBucket" holding the next free call slot. A caller reserves a slot with one
 * atomic statement (the row lock serialises replicas; the database's clock is the only clock, so clock skew
 * between replicas does not matter), then sleeps until it. Calls are spaced evenly a little wider than the tier
 * (window / perWindow plus a margin), so any window holds at most perWindow calls across all replicas, and no
 * time is lost to polling an empty bucket. Chosen over Bottleneck's clustering because that needs Redis, a
 * store this deployment does not otherwise have. A 429's Retry-After is stored as pausedUntil: every replica's
 * next slot starts after it.
 */
const UTC_NOW = `(now() AT TIME ZONE 'UTC')`;

/** Each gap is this much wider than the tier's even spacing: a call delayed on its way (a busy event loop) does not make a 21st in a window. */
const MARGIN = 0.05;

const ENSURE = `INSERT INTO "SlackRateBucket" ("key", "nextSlotAt") VALUES ($1::text, ${UTC_NOW}) ON CONFLICT ("key") DO NOTHING`;

const RESERVE = `WITH cur AS (
    SELECT "key", GREATEST("nextSlotAt", ${UTC_NOW}, COALESCE("pausedUntil", ${UTC_NOW})) AS slot
    FROM "SlackRateBucket" WHERE "key" = $1::text FOR UPDATE
  )
  UPDATE "SlackRateBucket" b SET "nextSlotAt" = cur.slot + $2::float8 * interval '1 millisecond'
  FROM cur WHERE b."key" = cur."key"
  RETURNING (EXTRACT(EPOCH FROM (cur.slot - ${UTC_NOW})) * 1000)::float8 AS "waitMs"`;

const PAUSED_MS = `SELECT GREATEST(0, EXTRACT(EPOCH FROM ("pausedUntil" - ${UTC_NOW})) * 1000)::float8 AS "pauseMs"
  FROM "SlackRateBucket" WHERE "key" = $1::text AND "pausedUntil" > ${UTC_NOW}`;

const PAUSE = `UPDATE "SlackRateBucket" SET "pausedUntil" = GREATEST(COALESCE("pausedUntil", ${UTC_NOW}), ${UTC_NOW} + $2::float8 * interval '1 millisecond')
  WHERE "key" = $1::text`;

export interface BucketLimit {
  perWindow: number;
  windowMs: number;
}

export class SharedPacer {
  private readonly ensured = new Set<string>();
  /** Times a caller had to wait for its slot (a figure for bench/replicas). */
  waits = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** Waits until this replica's reserved slot under `key`'s workspace-wide budget. */
  async take(key: string, limit: BucketLimit): Promise<void> {
    const gapMs = (limit.windowMs / limit.perWindow) * (1 + MARGIN);
    if (!this.ensured.has(key)) {
      await directQuery(this.prisma, ENSURE, [key]);
      this.ensured.add(key);
    }
    for (;;) {
      let [row] = await directQuery<{ waitMs: number | string }>(this.prisma, RESERVE, [key, String(gapMs)]);
      if (!row) {
        // The row went away (a test dropped it): make it again.
        await directQuery(this.prisma, ENSURE, [key]);
        [row] = await directQuery<{ waitMs: number | string }>(this.prisma, RESERVE, [key, String(gapMs)]);
      }
      const waitMs = Number(row?.waitMs ?? 0);
      if (waitMs <= 1) return;
      this.waits++;
      await new Promise((r) => setTimeout(r, waitMs));
      // A 429 seen by any replica while this one slept holds its slot back too: reserve again after the pause.
      const [paused] = await directQuery<{ pauseMs: number | string }>(this.prisma, PAUSED_MS, [key]);
      if (!paused) return;
    }
  }

  /** Slack answered 429 with Retry-After: every replica holds `key` back that long. */
  async pause(key: string, ms: number): Promise<void> {
    await directQuery(this.prisma, PAUSE, [key, String(ms)]);
  }
}
