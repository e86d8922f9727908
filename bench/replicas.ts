/**
 * Benchmark (not a test): 1 vs 3 replicas on one PostgreSQL behind a round-robin proxy.  npm run bench:replicas
 * Part 1: 50 declarations with Slack pacing on (the real tier numbers; the fake answers 429 over them):
 *         time until all 50 playbooks are pinned against the tier-limited minimum, 429s received, duplicates.
 * Part 2: the alert storm of bench/alerts (generic alerts, 100 fingerprints, 10 critical): alerts/s.
 * Targets: 0 duplicate Slack calls; 429s ≤ 1 % of calls; pinned-all within 10 % of the tier minimum;
 * alerts/s with 3 replicas ≥ 1.3× one replica.
 * BENCH_WINDOW_MS (default 6000) scales Slack's one-minute window down so a run takes seconds, not
 * minutes: the tiers keep their numbers per window. BENCH_ALERTS (default 5000) is the storm size.
 */
import { startFakeSlack } from "../tools/fake-slack/server.js";
import { slackSender } from "../tools/fake-slack/signed-requests.js";
import { emptyPgSchema, replicaEnv, roundRobinProxy, startReplicas } from "../test/helpers/replicas.js";
import { pgReachable } from "../test/helpers/pg-reachable.js";
import { runSenders } from "./alert-senders.js";
import { type CpuShares, formatCpu, loadAverage, measureCpu } from "./cpu-shares.js";

const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 6000);
const DECLARATIONS = 50;
const ALERTS = Number(process.env.BENCH_ALERTS ?? 5000);
const TOKEN = "bench-replicas-token";
const SECRET = "bench-replicas-secret";
// Slack's published tiers for what a declaration calls (per minute, here per WINDOW_MS).
const TIERS = { "conversations.create": 20, "pins.add": 20, "conversations.setTopic": 20, "conversations.invite": 50, "chat.update": 50 };

interface Figures {
  replicas: number;
  pinnedAllS: number;
  createMinS: number;
  pinMinS: number;
  calls: number;
  limited: number;
  limitedBy: string;
  duplicates: number;
  alertsPerS: number;
  /** pins.add as the fake saw them: the first's time after the declarations, the gaps between the successful ones. */
  firstCreateS: number;
  firstPinS: number;
  pinGapMeanMs: number;
  pinGapMaxMs: number;
  stormCpu: CpuShares;
  loadBefore: string;
  loadAfter: string;
}

async function run(replicas: number): Promise<Figures> {
  const fake = await startFakeSlack({ tiers: { windowMs: WINDOW_MS, perWindow: TIERS } });
  const db = await emptyPgSchema();
  // Tells the replicas' PostgreSQL backends from everyone else's on a shared server (for the CPU shares).
  const appName = `bench_replicas_${process.pid}`;
  const url = new URL(db.url);
  url.searchParams.set("application_name", appName);
  const env = replicaEnv(fake.apiUrl, { url: url.toString(), jobSchema: db.jobSchema }, SECRET, {
    SLACK_PACING: "true",
    SLACK_PACING_WINDOW_MS: String(WINDOW_MS),
    ALERT_WEBHOOK_TOKEN: TOKEN,
    LOG_LEVEL: "error",
  });

  const apps = await startReplicas(replicas, env, 60_000);
  const proxy = await roundRobinProxy(apps.map((a) => a.url));
  try {
    const ok = (c: { status: number; response?: { ok?: boolean } }) => c.status === 200 && c.response?.ok === true;
    const loadBefore = loadAverage();
    const startedAt = Date.now();
    const sender = slackSender({ appUrl: proxy.url, signingSecret: SECRET, fake });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: DECLARATIONS }, (_, i) =>
        sender.command("/incident", `declare P2 bench replica ${i}`, { userId: "UBENCH", channelId: "CGENERAL", triggerId: `br-${i}` }),
      ),
    );
    for (;;) {
      if (fake.callsTo("pins.add").filter(ok).length >= 2 * DECLARATIONS) break;
      if (performance.now() - started > 20 * WINDOW_MS) throw new Error("playbooks not all pinned in 20 windows");
      await new Promise((r) => setTimeout(r, 50));
    }
    const pinnedAllS = (performance.now() - started) / 1000;
    const creates = fake.callsTo("conversations.create").filter(ok);
    const pins = fake.callsTo("pins.add");
    const duplicates =
      creates.length -
      new Set(creates.map((c) => c.args.name)).size +
      pins.filter((c) => c.response?.error === "already_pinned").length +
      (pins.filter(ok).length - new Set(pins.filter(ok).map((c) => `${c.args.channel}/${c.args.timestamp}`)).size);

    const pinTimes = pins
      .filter(ok)
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const gaps = pinTimes.slice(1).map((t, i) => t - pinTimes[i]!);

    const cpu = await measureCpu(
      apps.map((a) => a.proc.pid!),
      PG_URL,
      appName,
    );
    const storm = await runSenders({
      kind: "storm",
      url: `${proxy.url}/alerts/generic`,
      token: TOKEN,
      total: ALERTS,
      distinct: 100,
      critical: 10,
      senders: 20,
    });
    const stormCpu = await cpu.stop();
    if (storm.failures.length) console.warn(`storm: ${storm.failures.length} failures, first: ${storm.failures[0]}`);
    const tierGap = WINDOW_MS / 1000 / 20;
    return {
      replicas,
      pinnedAllS,
      // Evenly spaced at 20 per window: 50 creates need 49 gaps; the 100 pins (header + playbook) 99.
      createMinS: (DECLARATIONS - 1) * tierGap,
      pinMinS: (2 * DECLARATIONS - 1) * tierGap,
      calls: fake.calls.length,
      limited: fake.calls.filter((c) => c.status === 429).length,
      limitedBy: Object.entries(
        fake.calls
          .filter((c) => c.status === 429)
          .reduce<Record<string, number>>((m, c) => ({ ...m, [c.method]: (m[c.method] ?? 0) + 1 }), {}),
      )
        .map(([m, n]) => `${m} ${n}`)
        .join(", "),
      duplicates,
      alertsPerS: ALERTS / storm.seconds,
      firstCreateS: (Math.min(...creates.map((c) => c.at)) - startedAt) / 1000,
      firstPinS: (pinTimes[0]! - startedAt) / 1000,
      pinGapMeanMs: gaps.reduce((a, b) => a + b, 0) / gaps.length,
      pinGapMaxMs: Math.max(...gaps),
      stormCpu,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await proxy.close();
    await Promise.all(apps.map((a) => a.kill("SIGTERM")));
    await db.drop();
    await fake.close();
  }
}

/** CPU time (ms of one core) the storm cost per alert, in the processes that handle it. */
function cpuPerAlert(f: Figures): number {
  const c = f.stormCpu;
  return ((c.apps.reduce((a, b) => a + b, 0) + c.appPostgres + c.self) / 100) * c.seconds * (1000 / ALERTS);
}

async function main() {
  if (!(await pgReachable(PG_URL))) {
    console.log(`PostgreSQL at ${PG_URL} is unreachable: bench:replicas needs it`);
    return;
  }
  console.log(`bench:replicas — Slack window scaled to ${WINDOW_MS} ms (tiers per window), ${DECLARATIONS} declarations, ${ALERTS} alerts`);
  const results: Figures[] = [];
  // BENCH_REPLICAS="1" (or "3") runs one side only, e.g. to look at the pacing figures.
  const counts = (process.env.BENCH_REPLICAS ?? "1,3").split(",").map(Number);
  for (const n of counts) {
    const f = await run(n);
    results.push(f);
    console.log(
      `${n} replica(s): all ${DECLARATIONS} playbooks pinned in ${f.pinnedAllS.toFixed(1)} s ` +
        `(tier minimum ${f.createMinS.toFixed(1)} s for the creates, ${f.pinMinS.toFixed(1)} s for the 100 pins: ` +
        `${((f.pinnedAllS / f.pinMinS - 1) * 100).toFixed(1)} % over); 429s ${f.limited}/${f.calls} calls ` +
        `(${((100 * f.limited) / f.calls).toFixed(2)} %${f.limitedBy ? `: ${f.limitedBy}` : ""}); duplicate Slack calls ${f.duplicates}; storm ${f.alertsPerS.toFixed(0)} alerts/s`,
    );
    console.log(
      `  at the fake: first conversations.create ${f.firstCreateS.toFixed(2)} s after the declarations were sent, first pins.add ${f.firstPinS.toFixed(2)} s, then ${DECLARATIONS * 2 - 1} gaps of ` +
        `${f.pinGapMeanMs.toFixed(0)} ms on average (tier spacing ${(WINDOW_MS / 20).toFixed(0)} ms), longest ${f.pinGapMaxMs.toFixed(0)} ms: ` +
        `first to last pin ${((f.pinGapMeanMs * (2 * DECLARATIONS - 1)) / 1000).toFixed(1)} s, ` +
        `${((f.pinGapMeanMs / (WINDOW_MS / 20) - 1) * 100).toFixed(1)} % over the tier's ${f.pinMinS.toFixed(1)} s; ` +
        `load average ${f.loadBefore} before, ${f.loadAfter} after`,
    );
    console.log(`  storm ${formatCpu(f.stormCpu)}; ${cpuPerAlert(f).toFixed(2)} core-ms per alert (app + its PostgreSQL + bench process)`);
  }
  if (results.length === 2) {
    console.log(`alerts/s 3 replicas / 1 replica: ${(results[1]!.alertsPerS / results[0]!.alertsPerS).toFixed(2)}×`);
    // With no idle core, alerts/s is the cores' time divided by the CPU one alert costs: the 3-replica run can only
    // beat one replica by the inverse of this ratio (more processes, more connections, more pg-boss polling).
    console.log(
      `CPU per alert 3 replicas / 1 replica: ${(cpuPerAlert(results[1]!) / cpuPerAlert(results[0]!)).toFixed(2)}× ` +
        `(idle ${results[0]!.stormCpu.idle.toFixed(0)} % and ${results[1]!.stormCpu.idle.toFixed(0)} % of ${100 * results[0]!.stormCpu.cores} %)`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
