import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signMlflowWebhook } from "../../tools/fake-mlflow/server.js";
import { dbKinds } from "../helpers/test-db.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { MLFLOW_WEBHOOK_SECRET, type ModelWorld, startModelWorld } from "../helpers/models.js";

const kinds = await dbKinds();

/** POSTs a body to /webhooks/mlflow with the headers given (signed as MLflow signs unless told otherwise). */
async function deliver(
  appUrl: string,
  body: string,
  o: { id?: string; ts?: number; secret?: string; headers?: Record<string, string>; unsigned?: boolean } = {},
) {
  const id = o.id ?? randomUUID();
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!o.unsigned) {
    headers["x-mlflow-signature"] = signMlflowWebhook(o.secret ?? MLFLOW_WEBHOOK_SECRET, id, ts, body);
    headers["x-mlflow-delivery-id"] = id;
    headers["x-mlflow-timestamp"] = String(ts);
  }
  const res = await fetch(`${appUrl}/webhooks/mlflow`, { method: "POST", headers: { ...headers, ...o.headers }, body });
  return { status: res.status, body: (await res.json()) as any, id };
}

const aliasBody = (version: string, name = "lead-scoring") =>
  JSON.stringify({
    entity: "model_version_alias",
    action: "created",
    timestamp: new Date().toISOString(),
    data: { name, alias: "champion", version },
  });

describe.each(kinds)("MLflow registry webhooks (%s)", (kind) => {
  let h: Harness;
  let w: ModelWorld;
  beforeAll(async () => {
    w = await startModelWorld({ followDelayMs: 200 });
    h = await startHarness(kind, { env: w.env });
    w.mlflow.opts.webhook = { url: `${h.appUrl}/webhooks/mlflow`, secret: MLFLOW_WEBHOOK_SECRET };
  });
  afterAll(async () => {
    await h?.close();
    await w?.close();
  });

  it("refuses wrong, stale and unsigned deliveries (401), bodies that are not JSON (415 / 400), and does nothing for them", async () => {
    const body = aliasBody("3", "churn");
    const wrong = await deliver(h.appUrl, body, { secret: "not-the-secret" });
    expect(wrong).toMatchObject({ status: 401, body: { error: expect.stringMatching(/does not match/) } });
    const stale = await deliver(h.appUrl, body, { ts: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale).toMatchObject({ status: 401, body: { error: expect.stringMatching(/5 minutes/) } });
    const future = await deliver(h.appUrl, body, { ts: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    const unsigned = await deliver(h.appUrl, body, { unsigned: true });
    expect(unsigned).toMatchObject({ status: 401, body: { error: expect.stringMatching(/unsigned/) } });
    // Signed over other bytes: the same JSON re-serialised with a space is not what was signed.
    const id = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    const tampered = await fetch(`${h.appUrl}/webhooks/mlflow`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-mlflow-signature": signMlflowWebhook(MLFLOW_WEBHOOK_SECRET, id, ts, body),
        "x-mlflow-delivery-id": id,
        "x-mlflow-timestamp": String(ts),
      },
      body: body.replace('"3"', '"2"'),
    });
    expect(tampered.status).toBe(401);
    expect((await deliver(h.appUrl, "version=3", { headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect(await deliver(h.appUrl, "{not json")).toMatchObject({ status: 400, body: { error: "body is not valid JSON" } });
    const badData = await deliver(h.appUrl, JSON.stringify({ entity: "model_version_alias", action: "created", data: { name: "churn" } }));
    expect(badData).toMatchObject({ status: 400, body: { error: expect.stringMatching(/data\.alias/) } });
    expect(await h.db.prisma.webhookDelivery.count({ where: { id: { in: [wrong.id, stale.id, unsigned.id, badData.id] } } })).toBe(0);
    expect(await h.db.prisma.modelAliasMove.count({ where: { model: "churn", source: "webhook" } })).toBe(0);
  });

  it("an alias moved outside the bot shows up in the channel and on the timeline, once however often it is delivered", async () => {
    const inc = await declareAndProvision(h, `P2 --model lead-scoring Conversion dropped ${kind}`);
    expect(inc.modelVersion).toBe("7");
    const gateRes = await runCommand(h, "/gate", `open shadow lead-scoring v5 ${kind}`, { userId: "UREL", channelId: "CRELEASE" });
    expect(gateRes.status).toBe(200);
    const gate = await eventually(
      () => h.db.prisma.gate.findFirst({ where: { subject: { contains: `lead-scoring v5 ${kind}` } } }),
      10_000,
      "gate",
    );

    await w.mlflow.moveAliasOutside("lead-scoring", "champion", "5"); // someone in the MLflow UI
    const d = w.mlflow.deliveries.at(-1)!;
    expect(d.status).toBe(200);
    const said = await eventually(
      () =>
        h.fake
          .messages(inc.channelId!)
          .find((m) => /Alias `champion` of lead-scoring moved 7 → 5 in the registry, not by the bot/.test(m.text)),
      10_000,
      "told in the channel",
    );
    expect(said).toBeTruthy();
    const ev = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: inc.id, kind: "model.alias_moved" } });
    expect(ev).toMatchObject({ actorId: null, data: { from: "7", to: "5", via: "registry", rollbackId: null } });
    const gateEv = await h.db.prisma.gateEvent.findFirstOrThrow({ where: { gateId: gate.id, kind: "model.registry_event" } });
    expect(gateEv.data).toMatchObject({ event: "model_version_alias.created", model: "lead-scoring", version: "5", to: "5" });

    // MLflow retries (or a replica receives the same delivery): 200, nothing happens again.
    const replay = await deliver(h.appUrl, d.body, { id: d.id });
    expect(replay).toMatchObject({ status: 200, body: { duplicate: true } });
    const again = await Promise.all([1, 2, 3].map(() => deliver(h.appUrl, d.body, { id: d.id })));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "model.alias_moved" } })).toBe(1);
    expect(await h.db.prisma.modelAliasMove.count({ where: { model: "lead-scoring", source: "webhook" } })).toBe(1);
    await new Promise((r) => setTimeout(r, 1500)); // the job poll interval three times over: no second notice was queued
    expect(h.fake.messages(inc.channelId!).filter((m) => /not by the bot/.test(m.text))).toHaveLength(1);

    // The move is history the rollback uses: its default target is the version before, as the bot saw it.
    const conf = await runCommand(h, "/incident", "rollback", { userId: "ULEAD", channelId: inc.channelId! });
    expect(conf.text).toMatch(/alias `champion` 5 → 7/);
    expect(JSON.stringify(conf.body.blocks)).toContain("as the bot saw it");

    // The bot's own rollback is delivered back by the registry too: not told as a move "not by the bot".
    const rollbackId = conf.body.blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === "rollback_confirm").value;
    await h.slack.blockAction({ userId: "ULEAD", channelId: inc.channelId!, actionId: "rollback_confirm", value: rollbackId });
    await eventually(() => h.db.prisma.rollback.findFirst({ where: { id: Number(rollbackId), state: "verified" } }), 10_000, "verified");
    await w.mlflow.flushWebhooks();
    expect(w.mlflow.deliveries.at(-1)).toMatchObject({ status: 200 });
    expect(h.fake.messages(inc.channelId!).filter((m) => /not by the bot/.test(m.text))).toHaveLength(1);
    expect(await h.db.prisma.modelAliasMove.count({ where: { model: "lead-scoring", source: "webhook" } })).toBe(1);
  });

  it("new versions and tags are answered 200 and recorded on gates naming that version; unknown events are 200 and ignored", async () => {
    const created = await deliver(
      h.appUrl,
      JSON.stringify({
        entity: "model_version",
        action: "created",
        timestamp: "2026-12-03T08:00:00Z",
        data: { name: "lead-scoring", version: "5", source: "models:/m-5" },
      }),
    );
    expect(created).toMatchObject({ status: 200, body: { duplicate: false, handled: "model_version.created" } });
    expect(created.body.gates).toHaveLength(1);
    const prompt = await deliver(h.appUrl, JSON.stringify({ entity: "prompt", action: "created", data: { name: "p" } }));
    expect(prompt).toMatchObject({ status: 200, body: { handled: "ignored prompt.created" } });
  });
});

describe("MLflow webhooks without MLFLOW_WEBHOOK_SECRET", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kinds[0]!);
  });
  afterAll(async () => {
    await h?.close();
  });
  it("answer 503 naming the variable", async () => {
    const r = await deliver(h.appUrl, aliasBody("7"));
    expect(r).toMatchObject({ status: 503, body: { error: expect.stringContaining("MLFLOW_WEBHOOK_SECRET") } });
  });
});
