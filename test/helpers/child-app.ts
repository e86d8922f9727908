import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { freePort } from "../../tools/free-port.js";
import { eventually } from "./harness.js";

export { freePort };

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface ChildApp {
  proc: ChildProcess;
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The node flags of `npm start` (package.json), so a compiled child runs exactly as `npm start` does. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf("node") + 1, words.indexOf("dist/src/main.js"));
}

/** Every child this test process started: killed if the test process exits first, so none outlives a run. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) if (p.exitCode === null) p.kill("SIGKILL");
});

let built = false;
/** Builds dist/ when a source is newer (the global set-up calls it first; a lock serialises callers). Once per test file. */
export function ensureBuild(): void {
  if (built) return;
  execFileSync(process.execPath, ["scripts/ensure-build.mjs"], { cwd: ROOT, stdio: "inherit" });
  built = true;
}

/**
 * A DATA_DIR for a child app: a copy of the migrated template database (test/global-setup.ts), as the app leaves a
 * directory after its first start; a directory to create (initdb) with PGLITE_TEMPLATE=0. `remove` deletes it.
 */
export function templateDataDir(prefix: string): { dataDir: string; remove: () => Promise<void> } {
  const parent = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  const dataDir = path.join(parent, "data");
  const template = inject("pgliteTemplateDir");
  if (template) cpSync(template, dataDir, { recursive: true });
  return { dataDir, remove: async () => rmSync(parent, { recursive: true, force: true }) };
}

/**
 * Runs the app as `npm start` does (the compiled dist/ with its node flags) in a real separate process, so a
 * test can SIGKILL it. `compiled: false` runs `src/main.ts` through tsx instead (slower to start).
 */
export async function startChildApp(env: Record<string, string>, waitHealthy = true, opts: { compiled?: boolean } = {}): Promise<ChildApp> {
  const port = env.PORT ?? String(await freePort());
  const compiled = opts.compiled ?? true;
  if (compiled) ensureBuild();
  // CHILD_NODE_ARGS: extra node flags for the app process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark.
  const nodeArgs = (process.env.CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const args = [...nodeArgs, ...(compiled ? [...startFlags(), "dist/src/main.js"] : ["--import", "tsx", "src/main.ts"])];
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) =>
    proc.once("exit", (code) => {
      running.delete(proc);
      r(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  if (waitHealthy) {
    await eventually(
      async () => {
        if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}: ${out}`);
        // Ready: the port opens before migrations, answering 503 "starting" until the app serves.
        return (await fetch(`${url}/readyz`).catch(() => null))?.status === 200;
      },
      60_000, // a restart on a killed PGlite directory recovers it first, slower still while other files run
      "child app ready",
    );
  }
  return {
    proc,
    url,
    output: () => out,
    async kill(signal = "SIGKILL") {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Runs the app to completion (for start-up errors) and returns exit code and output. */
export async function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const child = await startChildApp({ PORT: String(await freePort()), ...env }, false);
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), timeoutMs);
  const code = await new Promise<number | null>((r) => child.proc.once("exit", (c) => r(c)));
  clearTimeout(timer);
  return { code, output: child.output() };
}
