/**
 * Benchmark (not a test): declarations end to end against the fake Slack, on PGlite and PostgreSQL.
 *   npx tsx bench/declare.ts            (both databases; PostgreSQL skipped when unreachable)
 * Part 1: 200 declarations with every Slack call taking 100 ms: declaration → playbook pinned p50/p99,
 *         Slack calls per declaration, peak RSS (bench driver + fake Slack + app in one process).
 * Part 2: 50 declarations with Slack answering in 2 s: slash-command ack p50/p99.
 * Targets: ack p99 < 300 ms at 2 s Slack latency; ≤ 8 Slack calls per declaration; peak RSS < 200 MB.
 */
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createDb, type Db } from "../src/db.js";
import { migrateDb } from "../src/db/open-database.js";
import { startFakeSlack } from "../src/fake-slack/server.js";
import { slackSender } from "../src/fake-slack/signed-requests.js";
import { createLogger } from "../src/logger.js";

const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const N = Number(process.env.BENCH_DECLARATIONS ?? 200);
const N_SLOW = Number(process.env.BENCH_SLOW_DECLARATIONS ?? 50);
const CONCURRENCY = 10;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function openDb(kind: "pglite" | "pg"): Promise<{ db: Db; jobSchema: string; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const db = await createDb({ driver: "pglite", dataDir: undefined });
    await migrateDb(db);
    return { db, jobSchema: "pgboss", drop: async () => {} };
  }
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client(parseIntoClientConfig(PG_URL) as pg.ClientConfig);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(PG_URL);
  url.searchParams.set("schema", schema);
  const db = await createDb({ driver: "pg", url: url.toString() });
  await migrateDb(db);
  return {
    db,
    jobSchema: `pgboss_${schema}`,
    drop: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
      await admin.end();
    },
  };
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: n }, async () => {
    for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t);
  }));
}

async function run(kind: "pglite" | "pg") {
  const fake = await startFakeSlack({ latencyMs: 100 });
  const { db, jobSchema, drop } = await openDb(kind);
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench-secret",
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    LOG_LEVEL: "silent",
  });
  const app = await startApp({ config, db, jobSchema, log: createLogger("silent") });
  const slack = slackSender({ appUrl: `http://127.0.0.1:${app.port}`, signingSecret: "bench-secret", fake });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

  // Part 1: 200 declarations at 100 ms per Slack call.
  const sentAt = new Map<string, number>();
  const callsBefore = fake.calls.length;
  const t0 = performance.now();
  await pool([...Array(N).keys()], CONCURRENCY, async (i) => {
    const title = `Bench incident ${i}`;
    sentAt.set(title, Date.now());
    const res = await slack.command("/incident", `declare P2 ${title}`, { userId: "UBENCH", channelId: "CBENCH" });
    if (res.status !== 200) throw new Error(`declare ${i}: HTTP ${res.status}`);
  });
  const deadline = Date.now() + 180_000;
  while ((await db.prisma.incident.count({ where: { provisionedAt: { not: null } } })) < N && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1500)); // let trailing renders finish before counting calls
  const incidents = await db.prisma.incident.findMany({ select: { title: true, channelId: true, playbookTs: true, provisionedAt: true } });
  const toPinned: number[] = [];
  for (const inc of incidents) {
    const pin = fake.calls.find((c) => c.method === "pins.add" && c.args.channel === inc.channelId && c.args.timestamp === inc.playbookTs);
    const start = sentAt.get(inc.title);
    if (pin && start) toPinned.push(pin.at - start);
  }
  const slackCalls = fake.calls.slice(callsBefore).filter((c) => c.method !== "auth.test").length;
  console.log(`\n[${kind}] part 1: ${N} declarations, Slack latency 100 ms, concurrency ${CONCURRENCY}`);
  console.log(`  provisioned: ${incidents.filter((i) => i.provisionedAt).length}/${N} in ${wall.toFixed(1)} s`);
  console.log(`  declaration → playbook pinned: p50 ${ms(pct(toPinned, 50))}, p99 ${ms(pct(toPinned, 99))}`);
  console.log(`  Slack calls per declaration: ${(slackCalls / N).toFixed(2)} (target ≤ 8)`);

  // Part 2: 50 declarations with Slack answering in 2 s: how fast is the ack?
  fake.setLatency(2000);
  const acks: number[] = [];
  await pool([...Array(N_SLOW).keys()], CONCURRENCY, async (i) => {
    const res = await slack.command("/incident", `declare P3 Slow Slack ${i}`, { userId: "UBENCH", channelId: "CBENCH" });
    acks.push(res.ms);
  });
  console.log(`[${kind}] part 2: ${N_SLOW} declarations, Slack latency 2 s`);
  console.log(`  slash-command ack: p50 ${ms(pct(acks, 50))}, p99 ${ms(pct(acks, 99))} (target p99 < 300 ms)`);
  clearInterval(sampler);
  console.log(`  peak RSS (bench + fake Slack + app, one process): ${(peakRss / 1024 / 1024).toFixed(0)} MB (target < 200 MB)`);
  fake.setLatency(0);
  await app.stop();
  await db.close();
  await drop();
  await fake.close();
}

async function pgReachable() {
  const c = new pg.Client({ ...(parseIntoClientConfig(PG_URL) as pg.ClientConfig), connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

await run("pglite");
if (await pgReachable()) await run("pg");
else console.log(`\n[pg] skipped: PostgreSQL at ${PG_URL} is unreachable`);
process.exit(0);
