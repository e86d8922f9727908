import { Worker } from "node:worker_threads";

/**
 * Starts the TypeScript module at `moduleUrl` in a new worker thread. Workers do not inherit tsx's loader, so
 * the worker registers it first; tsx is resolved from this file, so the benches also run from another
 * working directory.
 */
export function tsWorker(moduleUrl: string, workerData?: unknown): Worker {
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
