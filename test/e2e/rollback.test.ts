import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/test-db.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { type ModelWorld, startModelWorld } from "../helpers/models.js";

const kinds = await dbKinds();

/** The rollback id on the confirmation (or Retry) buttons of a reply. */
const rollbackIdOf = (blocks: any[]): string =>
  blocks.flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === "rollback_confirm").value;

async function confirmation(h: Harness, channelId: string, args = "") {
  const r = await runCommand(h, "/incident", `rollback ${args}`.trim(), { userId: "ULEAD", channelId });
  return { ...r, rollbackId: r.body.blocks ? rollbackIdOf(r.body.blocks) : "" };
}

describe.each(kinds)("rolling a model back on the registry (%s)", (kind) => {
  let h: Harness;
  let w: ModelWorld;
  beforeAll(async () => {
    w = await startModelWorld({ followDelayMs: 400 });
    h = await startHarness(kind, { env: { ...w.env, ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, RECOVERY_WATCH_SECONDS: "2" } });
  });
  afterAll(async () => {
    await h?.close();
    await w?.close();
  });

  it("alert → model incident → two Roll back clicks → alias moved once → /health verified → MITIGATE done → mitigated", async () => {
    const startsAt = new Date(Date.now() - 4 * 60_000).toISOString();
    await postAlert(h.appUrl, "generic", {
      source: "model-monitor",
      title: "AUC dropped on lead-scoring",
      fingerprint: `auc-${kind}`,
      model: "lead-scoring",
      metric: { name: "auc", value: 0.61 },
      severity: "critical",
      startsAt,
    });
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { modelName: "lead-scoring", provisionedAt: { not: null } } }),
      15_000,
      "incident",
    );
    expect(inc).toMatchObject({ modelVersion: "7", category: "model" });
    const conf = await confirmation(h, inc.channelId!);
    expect(conf.body.response_type).toBe("in_channel");
    expect(conf.text).toMatch(/Roll back lead-scoring: alias `champion` 7 → 6/);
    const postsBefore = w.mlflow.callsTo("registered-models/alias", "POST").length;
    await Promise.all(
      ["UONE", "UTWO"].map((userId) =>
        h.slack.blockAction({ userId, channelId: inc.channelId!, actionId: "rollback_confirm", value: conf.rollbackId }),
      ),
    );
    const done = await eventually(
      () => h.db.prisma.rollback.findFirst({ where: { id: Number(conf.rollbackId), state: "verified" } }),
      10_000,
      "verified",
    );
    expect(w.mlflow.callsTo("registered-models/alias", "POST").length - postsBefore).toBe(1);
    expect(w.mlflow.aliasOf("lead-scoring", "champion")).toBe("6");
    expect(w.serving.served).toBe("6");
    const after = await eventually(async () => {
      const i = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
      return i.status === "mitigated" ? i : null;
    });
    expect(after.mitigatedAt).toBeTruthy();
    const items = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, key: { in: ["rollback-model", "verify-health"] } },
    });
    expect(items).toHaveLength(2);
    for (const it of items) expect(it).toMatchObject({ state: "done", completedBy: done.confirmedBy });
    const clock = await h.db.prisma.clock.findFirst({ where: { incidentId: inc.id, kind: "mitigate" } });
    expect(clock?.metAt).toBeTruthy();
    const kinds = (await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" } })).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(["model.rollback_requested", "model.rollback_confirmed", "model.alias_moved", "model.health_verified"]),
    );
    const moved = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: inc.id, kind: "model.alias_moved" } });
    expect(moved).toMatchObject({ actorId: done.confirmedBy, data: { from: "7", to: "6" } });
    await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => /mitigated \d+ min after detection \(target 15\)/.test(m.text)),
      10_000,
      "outcome",
    );
    expect(await h.db.prisma.rollback.count({ where: { incidentId: inc.id, state: { not: "proposed" } } })).toBe(1);
    // The second clicker is told it already ran.
    const told = () => [
      ...h.fake.ephemerals.map((e: any) => e.text ?? ""),
      ...h.fake.callsTo("chat.postMessage").map((c) => c.args.text ?? ""),
    ];
    await eventually(() => told().find((t: string) => /already (confirmed|moving|moved|verified)/.test(t)), 5000, "second click told");
    // The default target is the version the alias pointed to before, as the bot saw it (7, before this rollback).
    const again = await confirmation(h, inc.channelId!);
    expect(again.text).toMatch(/6 → 7/);
    expect(JSON.stringify(again.body.blocks)).toContain("as the bot saw it");
  });

  it("a registry 500 is said plainly with Retry, nothing is marked done; Retry then works", async () => {
    const inc = await declareAndProvision(h, `P2 --model lead-scoring Scores flat ${kind}`);
    const conf = await confirmation(h, inc.channelId!, "to 4");
    expect(conf.text).toMatch(/→ 4/);
    w.mlflow.failNext(500, 3);
    await h.slack.blockAction({ userId: "UONE", channelId: inc.channelId!, actionId: "rollback_confirm", value: conf.rollbackId });
    const failed = await eventually(
      () => h.db.prisma.rollback.findFirst({ where: { id: Number(conf.rollbackId), state: "failed" } }),
      10_000,
      "failed",
    );
    expect(failed.error).toMatch(/MLflow answered 500 INTERNAL_ERROR/);
    const msg = await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => /Rollback of lead-scoring failed: MLflow answered 500/.test(m.text)),
      10_000,
      "said",
    );
    expect(JSON.stringify(msg.blocks)).toContain('"Retry"');
    const items = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, key: { in: ["rollback-model", "verify-health"] } },
    });
    expect(items.every((i) => i.state === "todo")).toBe(true);
    expect((await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } })).status).not.toBe("mitigated");
    await h.slack.blockAction({
      userId: "UONE",
      channelId: inc.channelId!,
      actionId: "rollback_confirm",
      value: rollbackIdOf(msg.blocks as any[]),
    });
    await eventually(
      () => h.db.prisma.rollback.findFirst({ where: { id: Number(conf.rollbackId), state: "verified" } }),
      10_000,
      "verified on retry",
    );
    expect(w.mlflow.aliasOf("lead-scoring", "champion")).toBe("4");
  });

  it("a health check that never reports the target is said plainly and the incident is not mitigated", async () => {
    const inc = await declareAndProvision(h, `P2 --model churn Churn stuck ${kind}`);
    const conf = await confirmation(h, inc.channelId!);
    expect(conf.text).toMatch(/champion` 3 → 2/);
    await h.slack.blockAction({ userId: "UONE", channelId: inc.channelId!, actionId: "rollback_confirm", value: conf.rollbackId });
    const failed = await eventually(
      () => h.db.prisma.rollback.findFirst({ where: { id: Number(conf.rollbackId), state: "failed" } }),
      15_000,
      "failed",
    );
    expect(failed.movedAt).toBeTruthy();
    expect(failed.error).toMatch(/still reports 3 after 3 s, not 2/);
    await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => /not verified: .*serving does not follow/.test(m.text)),
      10_000,
      "said",
    );
    const after = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
    expect(after.status).toBe("investigating");
    const items = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, key: { in: ["rollback-model", "verify-health"] } },
    });
    expect(items.find((i) => i.key === "rollback-model")?.state).toBe("done");
    expect(items.find((i) => i.key === "verify-health")?.state).toBe("todo");
  });

  it("recovery watch: mitigated while its alert still fires → the lead is nudged once, naming it; alerts resolved in time → no nudge", async () => {
    const open = async (fingerprint: string, title: string) => {
      await postAlert(h.appUrl, "generic", { source: "model-monitor", title, fingerprint, model: "churn", severity: "critical" });
      return eventually(
        () => h.db.prisma.incident.findFirst({ where: { title, provisionedAt: { not: null } } }),
        15_000,
        `incident for ${title}`,
      );
    };
    const still = await open(`still-${kind}`, `Churn AUC still low ${kind}`);
    const healed = await open(`healed-${kind}`, `Churn latency high ${kind}`);
    for (const inc of [still, healed]) {
      await runCommand(h, "/incident", "lead <@ULEAD>", { userId: "ULEAD", channelId: inc.channelId! });
      await runCommand(h, "/incident", "status mitigated", { userId: "ULEAD", channelId: inc.channelId! });
    }
    // The healed one's alert resolves inside the watch: the intake says so, and the watch stays quiet.
    await postAlert(h.appUrl, "generic", {
      source: "model-monitor",
      title: `Churn latency high ${kind}`,
      fingerprint: `healed-${kind}`,
      model: "churn",
      status: "resolved",
    });
    await eventually(
      () => h.fake.messages(healed.channelId!).find((m) => /Every alert of .* has resolved/.test(m.text)),
      10_000,
      "resolved said",
    );
    const nudge = await eventually(() => h.fake.messages(still.channelId!).find((m) => /still fire/.test(m.text)), 15_000, "nudge");
    const lead = (await h.db.prisma.incident.findUniqueOrThrow({ where: { id: still.id } })).leadId;
    expect(lead).toBeTruthy();
    expect(nudge.text).toContain(`<@${lead}>`);
    expect(nudge.text).toMatch(/1 alert\(s\) that opened it still fire/);
    expect(JSON.stringify(nudge.blocks)).toContain(`Churn AUC still low ${kind}`);
    const ev = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: still.id, kind: "model.recovery_overdue" } });
    expect(ev).toHaveLength(1);
    // Mitigated again (reopened to identified, then mitigated): still one nudge for the incident.
    await runCommand(h, "/incident", "status identified", { userId: "ULEAD", channelId: still.channelId! });
    await runCommand(h, "/incident", "status mitigated", { userId: "ULEAD", channelId: still.channelId! });
    // Wait for the second watch to have run (its pg-boss job completed), then: no second nudge.
    await eventually(
      async () => {
        const rows = await h.db.prisma.$queryRawUnsafe<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM "${h.jobSchema}".job WHERE name = 'recovery-watch' AND singleton_key = $1 AND state = 'completed'`,
          `recovery-${still.id}`,
        );
        return rows[0]!.n >= 2;
      },
      15_000,
      "second watch ran",
    );
    await eventually(
      async () =>
        (
          await h.db.prisma.$queryRawUnsafe<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM "${h.jobSchema}".job WHERE name = 'recovery-notice' AND state NOT IN ('completed')`,
          )
        )[0]!.n === 0,
      10_000,
      "no notice pending",
    );
    expect(h.fake.messages(still.channelId!).filter((m) => /still fire/.test(m.text))).toHaveLength(1);
    expect(h.fake.messages(healed.channelId!).filter((m) => /still fire/.test(m.text))).toHaveLength(0);
  });

  it("bad input: outside an incident, no model, a version that does not exist, not a number", async () => {
    const outside = await runCommand(h, "/incident", "rollback", { userId: "ULEAD", channelId: "CGENERAL" });
    expect(outside.text).toMatch(/incident channel|Usage/i);
    const plain = await declareAndProvision(h, `P3 No model here ${kind}`);
    const noModel = await runCommand(h, "/incident", "rollback", { userId: "ULEAD", channelId: plain.channelId! });
    expect(noModel.text).toMatch(/not about a catalog model/);
    expect(noModel.text).toMatch(/rollback \[to <version>\]/);
    const inc = await h.db.prisma.incident.findFirstOrThrow({ where: { modelName: "lead-scoring", status: { not: "resolved" } } });
    const missing = await runCommand(h, "/incident", "rollback to 99", { userId: "ULEAD", channelId: inc.channelId! });
    expect(missing.text).toMatch(/no version 99/);
    expect(missing.body.response_type).not.toBe("in_channel");
    const nan = await runCommand(h, "/incident", "rollback to banana", { userId: "ULEAD", channelId: inc.channelId! });
    expect(nan.text).toMatch(/not a version/);
  });
});
