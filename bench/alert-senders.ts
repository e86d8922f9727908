/**
 * The alert senders of bench/alerts.ts, run in a worker thread so the load generator does not share the app's
 * event loop (real senders are other machines). They still share the machine's cores with the app and the
 * database, so the client is undici's keep-alive pool (one connection per sender) with each alert's body
 * serialised once: measured on the 2-core bench machine, a storm took ~550 ms of this thread's CPU against
 * ~880 ms with `node:http` and a fresh body per request (and an in-thread `fetch` topped out at ~3 600/s).
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { Pool } from "undici";
import { tsWorker } from "./ts-worker.js";

export type SenderJob =
  | { kind: "storm"; url: string; token: string; total: number; distinct: number; critical: number; senders: number; prefix?: string }
  | { kind: "paced"; url: string; token: string; rate: number; seconds: number; distinct: number; critical: number; offset: number };
export type SenderResult = { latencies: number[]; seconds: number; failures: string[] };

export const alertFor = (i: number, distinct: number, critical: number, prefix = "bench") => {
  const f = i % distinct;
  return {
    source: "bench",
    title: `storm alert ${f}`,
    fingerprint: `${prefix}/${f}`,
    service: `svc-${f % 7}`,
    severity: f < critical ? "critical" : "warning",
    metric: { name: "error_rate", value: 0.01 },
    labels: { shard: String(f) },
  };
};

/** Runs a job in a fresh worker thread and resolves with its latencies. */
export function runSenders(job: SenderJob): Promise<SenderResult> {
  return new Promise((resolve, reject) => {
    const worker = tsWorker(import.meta.url, job);
    worker.once("message", (result: SenderResult) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`sender worker exited with ${code}`))));
  });
}

async function work(job: SenderJob): Promise<SenderResult> {
  const target = new URL(job.url);
  // One keep-alive connection per sender, no pipelining: each sender waits for its answer before the next.
  const pool = new Pool(target.origin, { connections: job.kind === "storm" ? job.senders : 256, pipelining: 1 });
  const headers = { "content-type": "application/json", authorization: `Bearer ${job.token}` };
  const bodies = new Map<number, string>(); // a sender re-sends the same bytes for the same alert
  const failures: string[] = [];
  const send = async (i: number) => {
    const key = i % job.distinct;
    let body = bodies.get(key);
    if (body === undefined)
      bodies.set(key, (body = JSON.stringify(alertFor(i, job.distinct, job.critical, job.kind === "storm" ? job.prefix : undefined))));
    const t = performance.now();
    try {
      const res = await pool.request({ path: target.pathname, method: "POST", headers, body });
      await res.body.dump();
      if (res.statusCode !== 202) failures.push(`HTTP ${res.statusCode}`);
    } catch (e) {
      failures.push((e as Error).message);
    }
    return performance.now() - t;
  };
  const latencies: number[] = [];
  const start = performance.now();
  if (job.kind === "storm") {
    let next = 0;
    await Promise.all(
      Array.from({ length: job.senders }, async () => {
        while (next < job.total) latencies.push(await send(next++));
      }),
    );
  } else {
    await Promise.all(
      Array.from({ length: job.rate * job.seconds }, async (_, i) => {
        const due = start + (i * 1000) / job.rate;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        latencies.push(await send(i + job.offset));
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { latencies, seconds, failures: failures.slice(0, 5) };
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(await work(workerData as SenderJob));
}
