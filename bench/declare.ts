/**
 * Benchmark (not a test): declarations end to end against the fake Slack, on PGlite and PostgreSQL.
 *   npx tsx bench/declare.ts            (both databases; PostgreSQL skipped when unreachable)
 * Part 1: 200 declarations with every Slack call taking 100 ms: declaration → playbook pinned p50/p99,
 *         Slack calls per declaration, peak RSS of the app process.
 * Part 2: 50 declarations with Slack answering in 2 s: slash-command ack p50/p99.
 * Targets: ack p99 < 300 ms at 2 s Slack latency; ≤ 8 Slack calls per declaration; peak RSS < 200 MB.
 * BENCH_DB=pglite|pg runs one database; BENCH_VERBOSE=1 prints every part-2 ack;
 * CHILD_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app process.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { startFakeSlack } from "../tools/fake-slack/server.js";
import { slackSender } from "../tools/fake-slack/signed-requests.js";
import { startChildApp } from "../test/helpers/child-app.js";
import { pgReachable } from "../test/helpers/pg-reachable.js";

const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const N = Number(process.env.BENCH_DECLARATIONS ?? 200);
const N_SLOW = Number(process.env.BENCH_SLOW_DECLARATIONS ?? 50);
const CONCURRENCY = 10;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** The app runs as its own process (what `npm start` runs), so its peak RSS is its own. */
async function dbEnv(
  kind: "pglite" | "pg",
): Promise<{ env: Record<string, string>; query: (sql: string) => Promise<any[]>; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), "bench-declare-"));
    return {
      env: { DATA_DIR: dir },
      query: async () => [], // PGlite is owned by the app process; progress is read from the fake Slack
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = new pg.Client(parseIntoClientConfig(PG_URL) as pg.ClientConfig);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(PG_URL);
  url.searchParams.set("schema", schema);
  return {
    env: { DATABASE_URL: url.toString(), JOB_SCHEMA: `pgboss_${schema}` },
    query: async (sql) => (await admin.query(sql.replaceAll("$schema", `"${schema}"`))).rows,
    drop: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
      await admin.end();
    },
  };
}

/** Peak resident set size of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t);
    }),
  );
}

async function run(kind: "pglite" | "pg") {
  const fake = await startFakeSlack({ latencyMs: 100 });
  const { env, drop } = await dbEnv(kind);
  const app = await startChildApp(
    {
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench-secret",
      SLACK_API_URL: fake.apiUrl,
      SLACK_PACING: "false",
      JOB_POLL_SECONDS: process.env.JOB_POLL_SECONDS ?? "1", // the production default
      LOG_LEVEL: "warn",
      ...env,
    },
    true,
    { compiled: true },
  );
  const slack = slackSender({ appUrl: app.url, signingSecret: "bench-secret", fake });

  // Part 1: 200 declarations at 100 ms per Slack call. "Playbook pinned" = the second pins.add in a channel.
  const sentAt = new Map<string, number>();
  const callsBefore = fake.calls.length;
  const t0 = performance.now();
  await pool([...Array(N).keys()], CONCURRENCY, async (i) => {
    const title = `Bench incident ${i}`;
    sentAt.set(`inc-${new Date().toISOString().slice(0, 10).replaceAll("-", "")}-bench-incident-${i}`, Date.now());
    const res = await slack.command("/incident", `declare P2 ${title}`, { userId: "UBENCH", channelId: "CBENCH" });
    if (res.status !== 200) throw new Error(`declare ${i}: HTTP ${res.status}`);
  });
  const pinnedAt = () => {
    const byChannel = new Map<string, number[]>();
    for (const c of fake.calls)
      if (c.method === "pins.add" && c.status === 200) byChannel.set(c.args.channel, [...(byChannel.get(c.args.channel) ?? []), c.at]);
    return byChannel;
  };
  const deadline = Date.now() + 240_000;
  while ([...pinnedAt().values()].filter((t) => t.length >= 2).length < N && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const wall = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 2000)); // trailing renders, before counting calls
  const toPinned: number[] = [];
  const pins = pinnedAt();
  for (const c of fake.calls) {
    if (c.method !== "conversations.create" || c.status !== 200) continue;
    const start = sentAt.get(c.args.name);
    const at = pins.get(c.response.channel.id)?.[1];
    if (start && at) toPinned.push(at - start);
  }
  const slackCalls = fake.calls.slice(callsBefore).filter((c) => c.method !== "auth.test").length;
  console.log(`\n[${kind}] part 1: ${N} declarations, Slack latency 100 ms, ${CONCURRENCY} concurrent senders`);
  console.log(`  playbook pinned for ${toPinned.length}/${N} in ${wall.toFixed(1)} s`);
  console.log(`  declaration → playbook pinned: p50 ${ms(pct(toPinned, 50))}, p99 ${ms(pct(toPinned, 99))}`);
  console.log(`  Slack calls per declaration: ${(slackCalls / N).toFixed(2)} (target ≤ 8)`);

  // Part 2: 50 declarations with Slack answering in 2 s: how fast is the ack?
  fake.setLatency(2000);
  const acks: number[] = [];
  await pool([...Array(N_SLOW).keys()], CONCURRENCY, async (i) => {
    const res = await slack.command("/incident", `declare P3 Slow Slack ${i}`, { userId: "UBENCH", channelId: "CBENCH" });
    acks.push(res.ms);
    if (process.env.BENCH_VERBOSE) console.log(`  ack ${i}: ${res.ms.toFixed(0)} ms at +${((performance.now() - t0) / 1000).toFixed(2)} s`);
  });
  console.log(`[${kind}] part 2: ${N_SLOW} declarations, Slack latency 2 s`);
  console.log(`  slash-command ack: p50 ${ms(pct(acks, 50))}, p99 ${ms(pct(acks, 99))} (target p99 < 300 ms)`);
  console.log(`  app process peak RSS: ${peakRssMb(app.proc.pid!).toFixed(0)} MB (target < 200 MB)`);
  fake.setLatency(0);
  // The app must stop by itself (in-flight work finishes first); if it does not, say what it was doing.
  const killed = await Promise.race([app.kill("SIGTERM"), new Promise((r) => setTimeout(() => r("timeout"), 40_000))]);
  if (killed === "timeout") {
    console.log(`  the app did not exit within 40 s of SIGTERM; its last output:\n${app.output().slice(-4000)}`);
    app.proc.kill("SIGKILL");
  }
  await drop();
  await fake.close();
}

const only = process.env.BENCH_DB; // pglite | pg: run one database only
if (only !== "pg") await run("pglite");
if (only === "pglite") {
  // done
} else if (await pgReachable(PG_URL)) await run("pg");
else console.log(`\n[pg] skipped: PostgreSQL at ${PG_URL} is unreachable`);
process.exit(0);
