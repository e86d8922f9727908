// `npm start` runs the compiled build (less memory than running TypeScript through a loader).
// Rebuild only when a source file is newer than the build, so a started bot always runs the current code.
// A production install (`npm ci --omit=dev`) cannot build: then a current dist/ is used as is, and a missing
// or stale one is refused with one line saying what to run (docs/deploy.md), never a tsc error.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const entry = path.join(root, "dist/src/main.js");

// src/generated is skipped: `npm ci` rewrites it on every install (postinstall: prisma generate), which would make
// a prebuilt dist/ look stale; prisma/schema.prisma, its only input, is compared instead.
const GENERATED = path.join(root, "src/generated");

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (p === GENERATED) continue;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The dev dependencies a build needs (tsc and the @types packages): absent after `npm ci --omit=dev`. */
function missingDevDependencies() {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  return Object.keys(pkg.devDependencies ?? {}).filter((name) => !existsSync(path.join(root, "node_modules", name, "package.json")));
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
  const schema = statSync(path.join(root, "prisma/schema.prisma"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = Math.max(newest(path.join(root, "src")), newest(path.join(root, "blocks")), schema);
  return built < sources;
};

const missing = stale() ? missingDevDependencies() : [];
if (missing.length > 0) {
  const what = existsSync(entry) ? "dist/ is older than the sources" : "dist/ is missing";
  process.stderr.write(
    `Cannot start: ${what} and this install has no dev dependencies to build it (missing ${missing[0]}${missing.length > 1 ? ` and ${missing.length - 1} more` : ""}): ` +
      "run `npm ci && npm run build` before `npm ci --omit=dev` (docs/deploy.md)\n",
  );
  process.exit(1);
}

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
