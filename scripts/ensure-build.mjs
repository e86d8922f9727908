// `npm start` runs the compiled build (less memory than running TypeScript through a loader).
// Rebuild only when a source file is newer than the build, so a started bot always runs the current code.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const entry = path.join(root, "dist/src/main.js");

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Several test files (or replicas) may ask at once: one builds while the others wait, so none runs a half-written dist/. */
function withLock(fn) {
  const lock = path.join(root, ".build.lock");
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock older than 5 minutes was left by a killed build
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 600_000) throw new Error("ensure-build: timed out waiting for another build");
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const stale = () => {
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const sources = Math.max(newest(path.join(root, "src")), newest(path.join(root, "blocks")));
  return built < sources;
};

if (existsSync(path.join(root, ".build.lock")) || stale()) {
  withLock(() => {
    if (!stale()) return; // another process built it while this one waited
    process.stderr.write("Building (tsc) …\n");
    rmSync(path.join(root, "dist"), { recursive: true, force: true }); // no stale files of moved or deleted sources
    execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: root,
      stdio: "inherit",
    });
  });
}
