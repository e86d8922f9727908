/**
 * The fake Slack of bench/alerts.ts in its own worker thread: real Slack is another machine, so its work
 * (parsing each call, checking Block Kit, recording) must not run on the app's event loop and be counted
 * as the app's time. Same reasoning and same loader trick as bench/alert-senders.ts.
 */
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { startFakeSlack } from "../src/fake-slack/server.js";

export async function startFakeSlackThread(): Promise<{ apiUrl: string; close: () => Promise<void> }> {
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true });
  const apiUrl = await new Promise<string>((resolve, reject) => {
    worker.once("message", (m: { apiUrl: string }) => resolve(m.apiUrl));
    worker.once("error", reject);
  });
  return { apiUrl, close: async () => void (await worker.terminate()) };
}

if (!isMainThread && parentPort) {
  const fake = await startFakeSlack();
  parentPort.postMessage({ apiUrl: fake.apiUrl });
}
