import type { PrismaClient } from "../generated/prisma/client.js";
import { directQuery } from "../db/direct-sql.js";

/**
 * Workspace-wide Slack pacing for replicas on one PostgreSQL: one token bucket row per method (and per channel
 * for chat.postMessage) in "SlackRateBucket", taken with a single atomic statement (the row lock serialises
 * replicas; the database's clock is the only clock, so replicas' clock skew does not matter). Chosen over
 * Bottleneck's clustering because that needs Redis, a store this deployment does not otherwise have.
 *
 * Calls are spaced evenly, SAFETY over the tier's exact spacing: Slack (and the fake) count calls at arrival in
 * any window, and a call's way from its grant to Slack varies, so 21 calls must never fit in one window even when
 * the first of them travelled slowly and the last fast. The bucket holds 1 + LATE_CREDIT tokens: a waiter that
 * wakes a little late (timer lag, the statement's round trip) keeps its place on the even grid instead of pushing
 * every later call back; more than that would be a burst, and bursts over the tier are what Slack answers with 429.
 * In any window that leaves SAFETY − LATE_CREDIT of the spacing for the call's way to vary. A 429's Retry-After is
 * stored as pausedUntil and every replica waits it out.
 */
const SAFETY = 0.04;
/** Of one spacing: over a window of a 20-per-window tier it uses 0.25 / 20 = 1.25 % of the 4 % margin. */
const LATE_CREDIT = 0.25;
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
  /** Per key, the last waiter in this process: one waiter per key asks the database, the others queue behind it. */
  private readonly queues = new Map<string, Promise<void>>();
  /** 429 pauses this process got, until when (epoch ms): honoured before the database has stored them. */
  private readonly pausedHere = new Map<string, number>();
  /** Times a caller found its bucket empty or paused (a figure for bench/replicas). */
  waits = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Waits until this replica may make one call under `key`'s workspace-wide budget. Waiters of one process take
   * turns (first come, first served): without that every waiter of the key would ask at the instant a token is due
   * and queue on the row lock, and the one granted would be late by the others' statements.
   */
  async take(key: string, limit: BucketLimit): Promise<void> {
    const before = this.queues.get(key);
    let done!: () => void;
    const mine = new Promise<void>((r) => (done = r));
    const tail = before ? before.then(() => mine) : mine;
    this.queues.set(key, tail);
    try {
      await before;
      await this.takeShared(key, limit);
    } finally {
      done();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
  }

  private async takeShared(key: string, limit: BucketLimit): Promise<void> {
    const spacingMs = (limit.windowMs / limit.perWindow) * (1 + SAFETY);
    const perMs = 1 / spacingMs;
    const capacity = 1 + LATE_CREDIT;
    if (!this.ensured.has(key)) {
      await directQuery(this.prisma, ENSURE, [key, String(capacity)]);
      this.ensured.add(key);
    }
    for (;;) {
      const pausedMs = (this.pausedHere.get(key) ?? 0) - Date.now();
      if (pausedMs > 0) {
        this.waits++;
        await new Promise((r) => setTimeout(r, pausedMs));
        continue;
      }
      const [row] = await directQuery<{ granted: boolean; avail: number | string; pauseMs: number | string }>(this.prisma, TAKE, [
        key,
        String(capacity),
        String(perMs),
      ]);
      if (!row) {
        // The row went away (a test dropped it): make it again.
        await directQuery(this.prisma, ENSURE, [key, String(capacity)]);
        continue;
      }
      if (row.granted === true || String(row.granted) === "true") return;
      this.waits++;
      const pauseMs = Number(row.pauseMs);
      // The exact moment the next token is due (the database's clock), and a few ms of jitter so the other
      // replicas' waiters do not all ask at the same instant. No LISTEN/NOTIFY: a token never comes sooner than
      // this (tokens only accrue with time, a pause only delays), so there is nothing to be woken for.
      const dueMs = (1 - Number(row.avail)) / perMs;
      await new Promise((r) => setTimeout(r, Math.max(pauseMs, dueMs, 1) + Math.random() * 4));
    }
  }

  /** Slack answered 429 with Retry-After: every replica holds `key` back that long (this one at once, before the write). */
  async pause(key: string, ms: number): Promise<void> {
    this.pausedHere.set(key, Math.max(this.pausedHere.get(key) ?? 0, Date.now() + ms));
    await directQuery(this.prisma, PAUSE, [key, String(ms)]);
  }
}
