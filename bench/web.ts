/**
 * Benchmark (not a test): the web view signed in, with 1 000 incidents and 10 000 timeline events.
 *   npx tsx bench/web.ts          (both databases; PostgreSQL skipped when unreachable)
 * 10 concurrent clients (keep-alive, in a worker thread: bench/web-clients.ts) for BENCH_SECONDS (10) on /app/incidents
 * (its first page of 50) and on /app/stats: p50 / p99 and requests/s.
 * Then the stats page's cost at 250, 500 and 1 000 incidents in its window (it should grow no faster than that).
 * Targets: p99 < 100 ms for both pages at 1 000 incidents. BENCH_DB=pglite|pg runs one database.
 */
import { loadWebStats } from "../src/web/stats-page.js";
import { createFreshDb } from "../test/helpers/fresh-db.js";
import type { Harness } from "../test/helpers/harness.js";
import { pgReachable } from "../test/helpers/pg-reachable.js";
import { signIn, startWebHarness } from "../test/helpers/web.js";
import { runViewers } from "./web-clients.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 10;
const INCIDENTS = 1000;
const EVENTS = 10_000;
const DAY = 86_400_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};

/** `count` incidents spread over the last 90 days (ids after `offset`), each with events and clocks. */
async function seed(h: Harness, count: number, eventsPerIncident: number, offset = 0) {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, i) => {
    const declaredAt = new Date(now - ((i * 7919) % (89 * DAY)) - 60_000);
    return {
      title: `Bench incident ${offset + i}: PSI drift on feature_${i % 37}`,
      severity: ["P1", "P2", "P3", "P4"][i % 4]!,
      status: i % 5 === 0 ? "investigating" : "resolved",
      category: ["data", "model", "infrastructure", "integration"][i % 4]!,
      service: `model-${i % 9}`,
      declaredBy: "U0BENCH01",
      isPrivate: false,
      // Already provisioned (channel, header, playbook): the reconciler leaves seeded rows alone.
      channelId: `CBENCH${offset + i}`,
      channelName: `inc-bench-${offset + i}`,
      provisionedAt: declaredAt,
      detectedAt: declaredAt,
      declaredAt,
      acknowledgedAt: new Date(declaredAt.getTime() + ((i % 13) + 1) * 60_000),
      mitigatedAt: new Date(declaredAt.getTime() + ((i % 17) + 5) * 60_000),
      resolvedAt: i % 5 === 0 ? null : new Date(declaredAt.getTime() + ((i % 23) + 30) * 60_000),
    };
  });
  for (let i = 0; i < rows.length; i += 250) await h.db.prisma.incident.createMany({ data: rows.slice(i, i + 250) });
  const ids = (await h.db.prisma.incident.findMany({ select: { id: true, declaredAt: true }, orderBy: { id: "asc" } })).slice(offset);
  const events = ids.flatMap((inc) =>
    Array.from({ length: eventsPerIncident }, (_, k) => ({
      incidentId: inc.id,
      kind: "note.added",
      actorId: "U0BENCH01",
      at: new Date(inc.declaredAt.getTime() + k * 60_000),
      text: `note ${k}`,
      data: {},
    })),
  );
  for (let i = 0; i < events.length; i += 1000) await h.db.prisma.timelineEvent.createMany({ data: events.slice(i, i + 1000) });
  const clocks = ids.map((inc, k) => ({
    incidentId: inc.id,
    kind: "ack",
    targetSeconds: 300,
    startedAt: inc.declaredAt,
    dueAt: new Date(inc.declaredAt.getTime() + 300_000),
    metAt: new Date(inc.declaredAt.getTime() + 360_000),
    breached: k % 3 === 0,
  }));
  for (let i = 0; i < clocks.length; i += 500) await h.db.prisma.clock.createMany({ data: clocks.slice(i, i + 500) });
}

/** CLIENTS signed-in viewers on `path` for SECONDS, from a worker thread (not the app's event loop). */
async function load(h: Harness, path: string, cookie: string): Promise<{ p50: number; p99: number; rps: number; errors: number }> {
  const r = await runViewers({ origin: h.appUrl, path, cookie, clients: CLIENTS, seconds: SECONDS });
  if (r.firstError) console.log(`  first error on ${path}: ${r.firstError}`);
  return { p50: pct(r.latencies, 50), p99: pct(r.latencies, 99), rps: r.latencies.length / r.seconds, errors: r.errors };
}

type Kind = "pglite" | "pg";
const PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

async function run(kind: Kind) {
  const h = await startWebHarness(kind, {
    db: await createFreshDb(kind, PG_URL, "bench_web"),
    env: { LOG_LEVEL: "error", CLOCK_SWEEP_MS: "3600000" },
  });
  try {
    const t0 = performance.now();
    await seed(h, 250, EVENTS / INCIDENTS);
    const scale: [number, number][] = [];
    const timeStats = async () => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await loadWebStats(h.app.ctx);
        runs.push(performance.now() - t);
      }
      return pct(runs, 50);
    };
    scale.push([250, await timeStats()]);
    await seed(h, 250, EVENTS / INCIDENTS, 250);
    scale.push([500, await timeStats()]);
    await seed(h, 500, EVENTS / INCIDENTS, 500);
    scale.push([1000, await timeStats()]);
    const n = await h.db.prisma.incident.count();
    const ev = await h.db.prisma.timelineEvent.count();
    console.log(`[${kind}] seeded ${n} incidents, ${ev} timeline events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const cookie = (await signIn(h, { userId: "U0BENCH01" })).session!;
    for (const path of ["/app/incidents", "/app/stats"]) {
      const r = await load(h, path, cookie);
      console.log(
        `[${kind}] ${path.padEnd(15)} ${CLIENTS} clients ${SECONDS} s: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s` +
          `${r.errors ? `, ${r.errors} non-200` : ""} (target p99 < 100 ms: ${r.p99 < 100 ? "met" : "MISSED"})`,
      );
    }
    console.log(
      `[${kind}] loadWebStats median by incidents in the window: ${scale.map(([k, t]) => `${k} → ${t.toFixed(1)} ms`).join(", ")}`,
    );
  } finally {
    await h.close();
  }
}

const kinds: Kind[] = process.env.BENCH_DB ? [process.env.BENCH_DB as Kind] : ["pglite", "pg"];
for (const kind of kinds) {
  if (kind === "pg" && !(await pgReachable(PG_URL))) {
    console.log(`[pg] skipped: PostgreSQL not reachable at ${PG_URL}`);
    continue;
  }
  await run(kind);
}
