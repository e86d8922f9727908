/**
 * The signed-in browsers of bench/web.ts, run in a worker thread so the load generator does not share the app's
 * event loop (real viewers are other machines; the figures are then the app's, not the client's). They still
 * share the machine's cores. `clients` keep-alive connections (undici's Pool), each one request at a time.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { Pool } from "undici";
import { tsWorker } from "./ts-worker.js";

export type ViewerJob = { origin: string; path: string; cookie: string; clients: number; seconds: number };
export type ViewerResult = { latencies: number[]; seconds: number; errors: number; firstError?: string };

/** Runs the viewers in a fresh worker thread and resolves with every request's latency (ms). */
export function runViewers(job: ViewerJob): Promise<ViewerResult> {
  return new Promise((resolve, reject) => {
    const worker = tsWorker(import.meta.url, job);
    worker.once("message", (result: ViewerResult) => resolve(result));
    worker.once("error", reject);
    worker.once("exit", (code) => (code === 0 ? undefined : reject(new Error(`viewer worker exited with ${code}`))));
  });
}

async function work(job: ViewerJob): Promise<ViewerResult> {
  const pool = new Pool(job.origin, { connections: job.clients, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const until = start + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          const res = await pool.request({ path: job.path, method: "GET", headers: { cookie: job.cookie } });
          await res.body.arrayBuffer();
          if (res.statusCode !== 200) {
            errors++;
            firstError ??= `HTTP ${res.statusCode}`;
          }
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  return { latencies, seconds, errors, firstError };
}

if (!isMainThread && parentPort) {
  parentPort.postMessage(await work(workerData as ViewerJob));
}
