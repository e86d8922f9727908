/**
 * Benchmark (not a test): 20 model incidents rolled back at once, in process, PGlite, against the fake Slack and
 * the fake MLflow (tools/fake-mlflow) with the registry and every /health answering in 100 ms, and serving following
 * a moved alias 3 s later. Prints click → alias moved p50/p99, click → verified p50/p99, verified after serving
 * followed (bound by the 2 s poll), and registry calls per rollback (proposal + job).
 * Targets: click → alias moved < 1 s p99; verified within 2.5 s of serving following; ≤ 4 registry calls per rollback.
 *   npm run bench:rollback          (BENCH_ROLLBACKS=20, BENCH_LATENCY_MS=100, BENCH_FOLLOW_MS=3000)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { FakeMlflow, FakeModelService } from "../tools/fake-mlflow/server.js";
import { startFakeSlack } from "../tools/fake-slack/server.js";
import { slackSender } from "../tools/fake-slack/signed-requests.js";

const N = Number(process.env.BENCH_ROLLBACKS ?? 20);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 100);
const FOLLOW = Number(process.env.BENCH_FOLLOW_MS ?? 3000);
const SECRET = "bench-signing-secret";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-rollback-"));
  const fake = await startFakeSlack();
  const mlflow = new FakeMlflow({ token: "bench", latencyMs: LATENCY });
  await mlflow.start();
  const services: FakeModelService[] = [];
  const lines = ["models:"];
  for (let i = 0; i < N; i++) {
    const name = `model-${i}`;
    mlflow.addModel(name, 5, { champion: "5" });
    const s = await new FakeModelService(mlflow, { name, alias: "champion", followDelayMs: FOLLOW, latencyMs: LATENCY }).start();
    services.push(s);
    lines.push(`  - name: ${name}`, "    alias: champion", `    healthUrl: ${s.url}`, "    healthVersionField: model_version");
  }
  writeFileSync(path.join(dir, "models.yaml"), `${lines.join("\n")}\n`);
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    DATA_DIR: path.join(dir, "data"),
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    LOG_LEVEL: "silent",
    MODELS_FILE: path.join(dir, "models.yaml"),
    MLFLOW_TRACKING_URI: mlflow.url,
    MLFLOW_TRACKING_TOKEN: "bench",
  });
  const app = await startApp({ config, log: createLogger("silent") });
  const slack = slackSender({ appUrl: `http://127.0.0.1:${app.port}`, signingSecret: SECRET, fake });
  const db = app.ctx.prisma;
  try {
    for (let i = 0; i < N; i++)
      await slack.command("/incident", `declare P2 --model model-${i} Scores off ${i}`, { userId: "UBENCH", channelId: "CGENERAL" });
    for (;;) {
      if ((await db.incident.count({ where: { provisionedAt: { not: null } } })) === N) break;
      await sleep(200);
    }
    const incidents = await db.incident.findMany({ orderBy: { id: "asc" } });
    const callsBefore = mlflow.calls.length;
    await Promise.all(incidents.map((inc) => slack.command("/incident", "rollback", { userId: "UBENCH", channelId: inc.channelId! })));
    for (;;) {
      if ((await db.rollback.count({ where: { state: "proposed" } })) === N) break;
      await sleep(100);
    }
    const rollbacks = await db.rollback.findMany({ orderBy: { id: "asc" } });
    const clickedAt = new Map<number, number>();
    await Promise.all(
      rollbacks.map(async (r) => {
        const inc = incidents.find((i) => i.id === r.incidentId)!;
        clickedAt.set(r.id, Date.now());
        await slack.blockAction({ userId: "UBENCH", channelId: inc.channelId!, actionId: "rollback_confirm", value: String(r.id) });
      }),
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const left = await db.rollback.count({ where: { state: { notIn: ["verified", "failed"] } } });
      if (left === 0 || Date.now() > deadline) break;
      await sleep(200);
    }
    const done = await db.rollback.findMany();
    const failed = done.filter((r) => r.state !== "verified");
    const moved = done.filter((r) => r.movedAt).map((r) => r.movedAt!.getTime() - clickedAt.get(r.id)!);
    // The registry's own record: when the fake MLflow answered the alias POST of each model (the move itself).
    const atRegistry = done.flatMap((r) => {
      const post = mlflow.calls.find(
        (c) => c.method === "POST" && c.path.endsWith("/registered-models/alias") && (c.body as { name?: string })?.name === r.model,
      );
      return post ? [post.at - clickedAt.get(r.id)!] : [];
    });
    const verified = done.filter((r) => r.verifiedAt).map((r) => r.verifiedAt!.getTime() - clickedAt.get(r.id)!);
    const afterFollow = done.filter((r) => r.verifiedAt && r.movedAt).map((r) => r.verifiedAt!.getTime() - (r.movedAt!.getTime() + FOLLOW));
    const registryCalls = mlflow.calls.length - callsBefore;
    console.log(
      `\nbench:rollback — ${N} model incidents, registry and /health at ${LATENCY} ms, serving follows ${FOLLOW} ms after the move (PGlite, in process)`,
    );
    console.log(`| | figure | target |\n|---|---|---|`);
    console.log(
      `| click → alias moved (the registry's answer to the alias POST), p50 / p99 | ${ms(pct(atRegistry, 50))} / ${ms(pct(atRegistry, 99))} | p99 < 1 s |`,
    );
    console.log(
      `| click → move recorded (Rollback.movedAt, the bot's time of that answer), p50 / p99 | ${ms(pct(moved, 50))} / ${ms(pct(moved, 99))} | |`,
    );
    console.log(`| click → /health verified, p50 / p99 | ${ms(pct(verified, 50))} / ${ms(pct(verified, 99))} | |`);
    console.log(`| verified after serving followed, p50 / max | ${ms(pct(afterFollow, 50))} / ${ms(Math.max(...afterFollow))} | ≤ 2.5 s |`);
    console.log(`| registry calls per rollback (proposal + job) | ${(registryCalls / N).toFixed(2)} | ≤ 4 |`);
    console.log(`| rollbacks not verified | ${failed.length} | 0 |`);
  } finally {
    await app.stop();
    for (const s of services) await s.close();
    await mlflow.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error("bench failed:", e);
  process.exit(1);
});
