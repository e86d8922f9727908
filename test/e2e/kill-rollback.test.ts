import { afterEach, describe, expect, it } from "vitest";
import { startFakeSlack } from "../../tools/fake-slack/server.js";
import { slackSender } from "../../tools/fake-slack/signed-requests.js";
import { type ChildApp, startChildApp } from "../helpers/child-app.js";
import { childAppDatabase } from "../helpers/child-app-db.js";
import { eventually, SIGNING_SECRET } from "../helpers/harness.js";
import { startModelWorld } from "../helpers/models.js";
import { dbKinds } from "../helpers/test-db.js";

/**
 * Issue 14: a rollback is a durable job that never moves the alias twice. The app runs in its own process and is
 * killed with SIGKILL once the fake MLflow has recorded the alias move, while serving has not followed yet (the
 * fake model service follows 4 s after the move). The restarted app (same database) must find the alias already
 * moved (one POST in the fake's records), verify /health, mark the incident mitigated, with one "alias moved" event.
 */

const kinds = await dbKinds();

/** Starts the app in its own process and waits for /readyz with a bound for a loaded machine (a first PGlite start migrates). */
async function startApp(env: Record<string, string>): Promise<ChildApp> {
  const app = await startChildApp(env, false);
  await eventually(
    async () => {
      if (app.proc.exitCode !== null) throw new Error(`app exited with ${app.proc.exitCode}: ${app.output()}`);
      return (await fetch(`${app.url}/readyz`).catch(() => null))?.status === 200;
    },
    90_000,
    "child app ready",
  );
  return app;
}
const FOLLOW_MS = 4000;

describe.each(kinds)("kill -9 between moving the alias and verifying (%s)", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it("the restarted app finishes the rollback without moving the alias again", { timeout: 240_000 }, async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const w = await startModelWorld({ followDelayMs: FOLLOW_MS });
    cleanups.push(() => w.close());
    const env: Record<string, string> = {
      ...w.env,
      SLACK_BOT_TOKEN: "xoxb-kill-rollback",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PACING: "false",
      JOB_POLL_SECONDS: "0.5",
      ROLLBACK_VERIFY_SECONDS: "60", // long enough for a restart under load; serving follows after 4 s
      ROLLBACK_CLAIM_SECONDS: "2", // the killed process's claim on the move runs out quickly
    };
    const database = await childAppDatabase(kind, "kill-rollback", cleanups);
    Object.assign(env, database.env);

    let app: ChildApp = await startApp(env);
    cleanups.push(async () => void (await app.kill()));
    const slack = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });

    await slack.command("/incident", `declare P2 --model lead-scoring Scores flat (kill ${kind})`, {
      userId: "UKILL",
      channelId: "CGENERAL",
    });
    const channel = await eventually(
      () => fake.callsTo("conversations.create").find((c) => c.response?.ok)?.response?.channel?.id as string | undefined,
      20_000,
      "incident channel",
    );
    await eventually(() => fake.pins(channel).length === 2, 20_000, "header and playbook pinned");
    const asked = await slack.command("/incident", "rollback", { userId: "UKILL", channelId: channel });
    const replyId = asked.responseUrl!.split("/").pop();
    const reply: any = await eventually(
      () => fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === replyId),
      10_000,
      "confirmation",
    );
    expect(reply.body.text).toMatch(/champion` 7 → 6/);
    const rollbackId = reply.body.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === "rollback_confirm").value;

    const posts = () => w.mlflow.callsTo("registered-models/alias", "POST");
    await slack.blockAction({ userId: "UKILL", channelId: channel, actionId: "rollback_confirm", value: rollbackId });
    // Kill as soon as the registry has moved the alias: serving still reports 7, nothing is verified yet.
    await eventually(() => posts().length > 0, 20_000, "the alias move at the registry");
    expect(await app.kill("SIGKILL")).toBe(null);
    expect(w.mlflow.aliasOf("lead-scoring", "champion")).toBe("6");
    expect(w.serving.served).toBe("7");
    expect(fake.messages(channel).some((m) => /rollback of lead-scoring verified/.test(m.text))).toBe(false);

    app = await startApp(env);
    const verified = await eventually(
      () => fake.messages(channel).find((m) => /\/health reports 6: rollback of lead-scoring verified/.test(m.text)),
      60_000,
      "verified after the restart",
    ).catch((e) => {
      throw new Error(`${e.message}\n${app.output().slice(-3000)}`);
    });
    expect(verified.text).toMatch(/Incident mitigated/);
    expect(posts()).toHaveLength(1);
    expect(w.serving.served).toBe("6");

    expect(await app.kill("SIGTERM")).toBe(0);
    const db = await database.open();
    try {
      const rb = await db.prisma.rollback.findUniqueOrThrow({ where: { id: Number(rollbackId) } });
      expect(rb).toMatchObject({ state: "verified", fromVersion: "7", toVersion: "6", confirmedBy: "UKILL" });
      const inc = await db.prisma.incident.findUniqueOrThrow({ where: { id: rb.incidentId } });
      expect(inc.status).toBe("mitigated");
      const moved = await db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "model.alias_moved" } });
      expect(moved).toHaveLength(1);
      expect(moved[0]!.data).toMatchObject({ from: "7", to: "6" });
      // "found moved": killed before it recorded the move, the restarted job read the alias and did not move it again.
      const via = (moved[0]!.data as { via: string }).via;
      expect(["found moved", "bot"]).toContain(via);
      console.log(`[kill-rollback ${kind}] killed after the registry's move; recorded after the restart as: ${via}`);
      expect(await db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "model.health_verified" } })).toBe(1);
      expect(await db.prisma.modelAliasMove.count({ where: { source: "rollback" } })).toBe(1);
    } finally {
      await database.close();
    }
  });
});
