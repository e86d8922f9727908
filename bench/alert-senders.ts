/**
 * The alert senders of bench/alerts.ts, run in a worker thread so the load generator does not share the app's
 * event loop (real senders are other machines). Measured on the bench machine: an in-thread `fetch` client
 * against an empty Node handler tops out at ~3 600 requests/s and took about a third of the thread's CPU in
 * the storm profile, so it capped and skewed the app's figure. Keep-alive `node:http` sockets, one per sender.
 */
import http from "node:http";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { tsWorker } from "./ts-worker.js";

export type SenderJob =
  | { kind: "storm"; url: string; token: string; total: number; distinct: number; critical: number; senders: number }
  | { kind: "paced"; url: string; token: string; rate: number; seconds: number; distinct: number; critical: number; offset: number };
export type SenderResult = { latencies: number[]; seconds: number; failures: string[] };

export const alertFor = (i: number, distinct: number, critical: number) => {
  const f = i % distinct;
  return {
    source: "bench",
    title: `storm alert ${f}`,
    fingerprint: `bench/${f}`,
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
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.kind === "storm" ? job.senders : 256 });
  const failures: string[] = [];
  const send = (i: number) =>
    new Promise<number>((resolve) => {
      const body = JSON.stringify(alertFor(i, job.distinct, job.critical));
      const t = performance.now();
      const req = http.request(
        job.url,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", authorization: `Bearer ${job.token}`, "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 202) failures.push(`HTTP ${res.statusCode}`);
            resolve(performance.now() - t);
          });
        },
      );
      req.on("error", (e) => {
        failures.push(e.message);
        resolve(performance.now() - t);
      });
      req.end(body);
    });
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
  agent.destroy();
  return { latencies, seconds, failures: failures.slice(0, 5) };
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(await work(workerData as SenderJob));
}
