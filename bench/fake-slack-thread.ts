/**
 * The fake Slack of bench/alerts.ts in its own worker thread: real Slack is another machine, so its work
 * (parsing each call, checking Block Kit, recording) must not run on the app's event loop and be counted
 * as the app's time. Same reasoning as bench/alert-senders.ts.
 */
import { isMainThread, parentPort } from "node:worker_threads";
import { tsWorker } from "./ts-worker.js";
import { startFakeSlack } from "../tools/fake-slack/server.js";

export async function startFakeSlackThread(): Promise<{ apiUrl: string; close: () => Promise<void> }> {
  const worker = tsWorker(import.meta.url);
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
