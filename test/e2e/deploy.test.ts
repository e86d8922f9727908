import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack } from "../../tools/fake-slack/server.js";
import { ensureBuild, freePort } from "../helpers/child-app.js";
import { eventually } from "../helpers/harness.js";

// The production path of docs/deploy.md and the Dockerfile, in a fresh copy of the project: a prebuilt dist/,
// `npm ci --omit=dev` (no TypeScript types, no vitest), then `npm start`. The image itself cannot be built here
// (no base images), so the test runs its steps; the Dockerfile is checked to be those steps.
const ROOT = path.resolve(import.meta.dirname, "../..");
let dir: string;
const npm = (args: string[], timeout = 240_000) =>
  execFileSync("npm", args, { cwd: dir, encoding: "utf8", timeout, stdio: ["ignore", "pipe", "pipe"], env: cleanEnv() });

/** The test runner's environment minus what would leak into the copy (vitest's own variables, a .env path). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST|npm_|DATABASE_URL$|NODE_ENV$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function startNpm(env: Record<string, string>): {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  // detached: npm runs the app as its own child; the whole group is stopped at the end
  const proc = spawn("npm", ["start"], { cwd: dir, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    proc.once("exit", (code, signal) => r({ code, signal })),
  );
  return { proc, output: () => out, exited };
}

beforeAll(() => {
  ensureBuild();
  dir = mkdtempSync(path.join(tmpdir(), "deploy-"));
  // A fresh clone's files (tracked, plus new ones not yet committed), never node_modules, dist or data.
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && existsSync(path.join(ROOT, f)));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(ROOT, f), path.join(dir, f));
  }
  expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
  cpSync(path.join(ROOT, "dist"), path.join(dir, "dist"), { recursive: true }); // step 1, `npm run build`, done by the global set-up
  npm(["ci", "--omit=dev", "--prefer-offline", "--no-audit", "--no-fund"]);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("deploy: npm ci --omit=dev && npm start", () => {
  it("installs without dev dependencies", () => {
    for (const dev of ["@types/pg", "vitest", "eslint", "prettier"])
      expect(existsSync(path.join(dir, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(path.join(dir, "src/generated/prisma/client.ts"))).toBe(true); // postinstall ran
  });

  it(
    "starts the prebuilt dist/ without compiling: /healthz and /readyz answer, SIGTERM stops it cleanly",
    { timeout: 120_000 },
    async () => {
      const fake = await startFakeSlack();
      const port = await freePort();
      const app = startNpm({
        SLACK_BOT_TOKEN: "xoxb-deploy-test",
        SLACK_SIGNING_SECRET: "deploy-secret",
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
        DATA_DIR: path.join(dir, "data"),
        LOG_LEVEL: "warn",
      });
      try {
        await eventually(
          async () => {
            if (app.proc.exitCode !== null) throw new Error(`npm start exited with ${app.proc.exitCode}: ${app.output()}`);
            return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
          },
          90_000,
          "npm start ready",
        );
        expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: "ok" });
        expect(app.output()).not.toMatch(/Building|tsc|error TS/);
        expect(existsSync(path.join(dir, "data"))).toBe(true); // the embedded database lives under DATA_DIR
        // SIGTERM to the group, as a container stop does: npm ends by the signal, the app stops gracefully and frees the port
        process.kill(-app.proc.pid!, "SIGTERM");
        const end = await app.exited;
        expect(String(end.signal ?? end.code)).toMatch(/^(SIGTERM|0)$/);
        await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null)) === null, 30_000, "app stopped");
        expect(app.output()).not.toMatch(/"level":(50|60)|graceful stop took over/);
      } finally {
        if (app.proc.exitCode === null) process.kill(-app.proc.pid!, "SIGKILL");
        await fake.close();
      }
    },
  );

  it("without a build, npm start refuses in one line saying what to run (never a tsc error)", { timeout: 60_000 }, async () => {
    rmSync(path.join(dir, "dist"), { recursive: true, force: true });
    const app = startNpm({ SLACK_BOT_TOKEN: "xoxb-deploy-test", SLACK_SIGNING_SECRET: "deploy-secret", PORT: String(await freePort()) });
    expect((await app.exited).code).toBe(1);
    const refusal = app
      .output()
      .split("\n")
      .filter((l) => l.startsWith("Cannot start"));
    expect(refusal).toEqual([expect.stringMatching(/dist\/ is missing .*no dev dependencies.*npm ci && npm run build.*docs\/deploy\.md/)]);
    expect(app.output()).not.toMatch(/error TS|\n\s+at /);
  });

  it("the Dockerfile runs exactly these steps: build stage, omit-dev install, non-root, healthcheck on /healthz, DATA_DIR volume", () => {
    const docker = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    const stages = docker.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN npm ci\b.*&& npm run build/);
    const runtime = stages[1]!;
    expect(runtime).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build .*\/app\/dist \.\/dist/);
    expect(runtime.indexOf("/app/dist ./dist")).toBeGreaterThan(runtime.indexOf("npm ci --omit=dev")); // dist newer than the sources
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toMatch(/^VOLUME \/data$/m);
    expect(runtime).toMatch(/^CMD \["npm", "start"\]$/m);
  });
});
