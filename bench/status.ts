/**
 * Benchmark (not a test): the public status page under load while an incident is being updated.
 *   npx tsx bench/status.ts          (in-memory PGlite; BENCH_DATABASE_URL=postgres://… an empty database to use PostgreSQL)
 * 20 concurrent clients for 10 s on GET /status and on GET /status/summary.json, while an incident gets a published
 * update every second; beside them, in the same run and process, a reference handler serving a fixed in-memory page
 * from the same Node HTTP stack. The clients run in a worker thread. Prints requests/s, p50/p99, the ratio to the
 * reference, how long each update took to become visible, what a rebuild costs (read, render), the event-loop delay
 * while serving, and the page's bytes.
 * Targets: ≥ 50 % of the reference's requests/s, p99 < 20 ms, updates visible within 5 s, page < 30 KB.
 */
import { createServer } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { AddressInfo } from "node:net";
import { draftStatusUpdate } from "../src/status/draft-status-update.js";
import { publishStatusUpdate } from "../src/status/publish-status-update.js";
import { loadPublicPage } from "../src/status/public-status.js";
import { renderStatusPage } from "../src/status/render-page.js";
import { summaryJson } from "../src/status/summary-json.js";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { startFakeSlack } from "../tools/fake-slack/server.js";
import { slackSender } from "../tools/fake-slack/signed-requests.js";

async function eventually<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};

/**
 * The load runs in a worker thread (its own event loop, the machine's other core), so the figures are the server's,
 * not those of 20 clients sharing its event loop. Keep-alive connections, `accept-encoding: gzip` like a browser;
 * the bytes are read, not decompressed (as wrk or autocannon do).
 */
const LOAD_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const { url, clients, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const lat = [];
let errors = 0;
const end = performance.now() + seconds * 1000;
const one = () => new Promise((resolve) => {
  const t = performance.now();
  const req = http.get(url, { agent, headers: { "accept-encoding": "gzip" } }, (res) => {
    res.on("data", () => {});
    res.on("end", () => { if (res.statusCode !== 200) errors++; lat.push(performance.now() - t); resolve(); });
  });
  req.on("error", () => { errors++; lat.push(performance.now() - t); resolve(); });
});
Promise.all(Array.from({ length: clients }, async () => { while (performance.now() < end) await one(); }))
  .then(() => { agent.destroy(); parentPort.postMessage({ lat, errors }); });
`;

async function load(url: string): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url, clients: CLIENTS, seconds: SECONDS } });
  const { lat, errors } = await new Promise<{ lat: number[]; errors: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  return { rps: lat.length / SECONDS, p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

async function main() {
  const kind = process.env.BENCH_DATABASE_URL ? "pg" : "pglite";
  const fake = await startFakeSlack();
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: "bench-secret",
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    ...(kind === "pg" ? { DATABASE_URL: process.env.BENCH_DATABASE_URL! } : { DATA_DIR: "memory://" }),
  });
  const app = await startApp({ config, log: createLogger("silent") });
  const h = {
    appUrl: `http://127.0.0.1:${app.port}`,
    slack: slackSender({ appUrl: `http://127.0.0.1:${app.port}`, signingSecret: "bench-secret", fake }),
    db: { prisma: app.ctx.prisma },
    close: async () => {
      await app.stop();
      await fake.close();
    },
  };
  const ctx = app.ctx;
  await h.slack.command("/incident", "declare P2 Bench incident", { userId: "UBENCH", channelId: "CGENERAL" });
  const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { provisionedAt: { not: null } } }), 20_000, "provisioned");
  await publishStatusUpdate(ctx, await draftStatusUpdate(ctx, inc.id, "UBENCH", "Scores are delayed; we are on it."), "UBENCH");
  const html = await (await fetch(`${h.appUrl}/status`)).text();
  const fixed = Buffer.from(html);
  const ref = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": String(fixed.length) });
    res.end(fixed);
  });
  await new Promise<void>((r) => ref.listen(0, "127.0.0.1", r));
  const refUrl = `http://127.0.0.1:${(ref.address() as AddressInfo).port}/`;

  // One published update a second during the whole run; each one's time until /status shows it.
  const visible: number[] = [];
  let n = 0;
  let running = true;
  const updater = (async () => {
    while (running) {
      const text = `Update ${++n}: still working on it.`;
      const t = performance.now();
      await publishStatusUpdate(ctx, await draftStatusUpdate(ctx, inc.id, "UBENCH", text), "UBENCH");
      await eventually(async () => (await (await fetch(`${h.appUrl}/status`)).text()).includes(text), 10_000, "visible");
      visible.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
    }
  })();

  const reference = await load(refUrl);
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const page = await load(`${h.appUrl}/status`);
  const summary = await load(`${h.appUrl}/status/summary.json`);
  loopDelay.disable();
  running = false;
  await updater;

  // What a rebuild costs the event loop: the database read and the rendering, measured apart.
  const readMs: number[] = [];
  const renderMs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const p = await loadPublicPage(ctx.prisma, ctx.clock.now(), ctx.config.statusPage);
    const t1 = performance.now();
    renderStatusPage(p);
    JSON.stringify(summaryJson(p));
    renderMs.push(performance.now() - t1);
    readMs.push(t1 - t0);
  }
  const bytes = Buffer.byteLength(await (await fetch(`${h.appUrl}/status`)).text());

  const line = (name: string, r: typeof page) =>
    `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}` +
    (r === reference ? "" : `  ${((100 * r.rps) / reference.rps).toFixed(0)} % of reference`);
  console.log(`status page benchmark (${kind}, ${CLIENTS} clients × ${SECONDS} s each, one published update a second)`);
  console.log(line("reference (fixed page)", reference));
  console.log(line("GET /status", page));
  console.log(line("GET /status/summary.json", summary));
  console.log(
    `updates published: ${visible.length}; visible after p50 ${pct(visible, 50).toFixed(0)} ms, max ${Math.max(...visible).toFixed(0)} ms`,
  );
  console.log(
    `rebuild: read p50 ${pct(readMs, 50).toFixed(1)} ms max ${Math.max(...readMs).toFixed(1)} ms; ` +
      `render page + summary p50 ${pct(renderMs, 50).toFixed(2)} ms max ${Math.max(...renderMs).toFixed(2)} ms`,
  );
  console.log(
    `event-loop delay while serving: p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
  );
  console.log(`page size: ${bytes} bytes (target < 30 000)`);
  console.log("targets: ≥ 50 % of reference req/s, p99 < 20 ms, visible within 5 s, page < 30 KB");
  ref.close();
  await h.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
