import { startApp, type RunningApp } from "../../src/app.js";
import type { Clock } from "../../src/clock.js";
import { loadConfig } from "../../src/config.js";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { type SlackSender, slackSender } from "../../tools/fake-slack/signed-requests.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { createTestDb, type TestDb, type TestDbKind } from "./test-db.js";

export const SIGNING_SECRET = "test-signing-secret";

export interface Harness {
  fake: FakeSlack;
  db: TestDb;
  app: RunningApp;
  slack: SlackSender;
  appUrl: string;
  /** pg-boss schema of this app's jobs. */
  jobSchema: string;
  /** Stops the app and (unless keepDb) the database and the fake. */
  close(opts?: { keepDb?: boolean; keepFake?: boolean }): Promise<void>;
  /** Starts a second app process-alike on the same database and fake (a restart, or two processes). */
  restart(): Promise<RunningApp>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  clock?: Clock;
  fake?: FakeSlack;
  db?: TestDb;
  /** The app's logger (default: createLogger(LOG_LEVEL)); a test reading the logs passes a pino on its own stream. */
  log?: Logger;
}

/** The real app: real Bolt over HTTP, real jobs, a real database, against the fake Slack Web API. */
export async function startHarness(kind: TestDbKind, opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake ?? (await startFakeSlack());
  const db = opts.db ?? (await createTestDb(kind));
  const env = {
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...opts.env,
  };
  const config = loadConfig(env);
  const jobSchema = db.schema ? `pgboss_${db.schema}` : "pgboss";
  const start = () =>
    startApp({ config, db, clock: opts.clock, log: opts.log ?? createLogger(env.LOG_LEVEL), jobSchema, reconcileEveryMs: 500 });
  let app = await start();
  const appUrl = `http://127.0.0.1:${app.port}`;
  const harness: Harness = {
    fake,
    db,
    app,
    slack: slackSender({ appUrl, signingSecret: SIGNING_SECRET, fake }),
    appUrl,
    jobSchema,
    async close(o = {}) {
      await harness.app.stop();
      if (!o.keepDb) await db.close();
      if (!o.keepFake) await fake.close();
    },
    async restart() {
      app = await start();
      harness.app = app;
      harness.appUrl = `http://127.0.0.1:${app.port}`;
      harness.slack = slackSender({ appUrl: harness.appUrl, signingSecret: SIGNING_SECRET, fake });
      return app;
    },
  };
  return harness;
}

/** Polls until `fn` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 10_000, what = "condition"): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends a slash command and waits for the reply the app posts to its response_url. */
export async function runCommand(
  h: Harness,
  command: string,
  text: string,
  as: { userId: string; channelId: string },
): Promise<{ status: number; ms: number; text: string; body: any }> {
  const res = await h.slack.command(command, text, as);
  const id = res.responseUrl?.split("/").pop();
  const reply = await eventually(
    () => h.fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === id) as any,
    10_000,
    `reply to ${command} ${text}`,
  );
  return { status: res.status, ms: res.ms, text: reply.body?.text ?? "", body: reply.body };
}

/** Declares through the real slash command and waits until the channel, header and playbook are in place. */
export async function declareAndProvision(h: Harness, text: string, userId = "UDECL") {
  const before = await h.db.prisma.incident.count();
  await runCommand(h, "/incident", `declare ${text}`, { userId, channelId: "CGENERAL" });
  return eventually(
    async () => {
      const incs = await h.db.prisma.incident.findMany({ orderBy: { id: "asc" } });
      const inc = incs[before];
      return inc?.provisionedAt ? inc : null;
    },
    15_000,
    "incident provisioned",
  );
}

/** Jobs of this app not finished yet (queued, retrying or running), by pg-boss queue name; `due` leaves out ones scheduled later. */
export async function pendingJobs(h: Harness, opts: { name?: string; due?: boolean } = {}): Promise<number> {
  const rows = await h.db.prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${h.jobSchema}".job
     WHERE state IN ('created', 'retry', 'active') AND ($1::text IS NULL OR name = $1) AND (NOT $2 OR start_after <= now())`,
    opts.name ?? null,
    opts.due ?? false,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Waits until no job is due or running (twice in a row, so a job that enqueues the next one is seen): the
 * explicit way to say "everything this did has happened" before asserting that nothing more does.
 */
export async function jobsDrained(h: Harness, timeoutMs = 15_000): Promise<void> {
  let quiet = 0;
  await eventually(
    async () => {
      quiet = (await pendingJobs(h, { due: true })) === 0 ? quiet + 1 : 0;
      return quiet >= 2;
    },
    timeoutMs,
    "the job queue to drain",
  );
}
