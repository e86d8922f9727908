// `npm start` runs the compiled build (less memory than running TypeScript through a loader).
// Rebuild only when a source file is newer than the build, so a started bot always runs the current code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
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

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sources = Math.max(newest(path.join(root, "src")), newest(path.join(root, "blocks")));
if (built < sources) {
  process.stderr.write("Building (tsc) …\n");
  rmSync(path.join(root, "dist"), { recursive: true, force: true }); // no stale files of moved or deleted sources
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
