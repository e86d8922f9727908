import { mkdtempSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { completeGateItem } from "../../src/gates/complete-gate-item.js";
import { openGate } from "../../src/gates/open-gate.js";
import { setGateItemOwner } from "../../src/gates/set-gate-item-owner.js";
import { findTemplate } from "../../src/gates/template-registry.js";
import { eventually, type Harness, startHarness, jobsDrained } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("gate use cases (%s)", (kind) => {
  let h: Harness;
  const dir = mkdtempSync(path.join(tmpdir(), "gate-templates-"));
  copyFileSync(path.resolve("templates/example-fairness-review.yaml"), path.join(dir, "fairness-review.yaml"));
  writeFileSync(path.join(dir, "broken.yaml"), "id: Not Kebab\ntitle: x\n");

  beforeAll(async () => {
    h = await startHarness(kind, { clock: new ManualClock(), env: { GATE_TEMPLATES_DIR: dir } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("loads GATE_TEMPLATES_DIR at start: good files are usable, bad ones are skipped", async () => {
    expect(findTemplate("fairness-review")?.title).toBe("Fairness review");
    h.fake.ensureChannel({ id: "CFAIR" });
    const { gate, created } = await openGate(h.app.ctx, {
      templateId: "fairness-review",
      subject: "churn v5",
      channelId: "CFAIR",
      openedBy: "U1",
      requestKey: "k1",
    });
    expect(created).toBe(true);
    expect(gate.items.map((i) => i.number).slice(0, 3)).toEqual(["1.1", "1.2", "2.1"]);
    const again = await openGate(h.app.ctx, {
      templateId: "fairness-review",
      subject: "churn v5",
      channelId: "CFAIR",
      openedBy: "U1",
      requestKey: "k1",
    });
    expect(again).toMatchObject({ created: false, gate: { id: gate.id } });
    await eventually(() => h.db.prisma.gate.findFirst({ where: { id: gate.id, messageTs: { not: null } } }), 10_000, "posted");
  });

  it("tells the opener once, by DM, when it cannot post the gate in a private channel it is not in", async () => {
    h.fake.ensureChannel({ id: "GSECRET", name: "secret-launch", isPrivate: true, members: ["UOPENER"] });
    const { gate } = await openGate(h.app.ctx, {
      templateId: "canary",
      subject: "secret model",
      channelId: "GSECRET",
      openedBy: "UOPENER",
      requestKey: "k-secret",
      override: "shadow ran in another tool",
    });
    const dm = await eventually(
      () =>
        h.fake.calls.find(
          (c) => c.method === "chat.postMessage" && c.args.channel?.startsWith("D") && /could not post G-/.test(c.args.text),
        ),
      10_000,
      "DM to the opener",
    );
    expect(dm.args.text).toContain(`G-${gate.id}`);
    expect(dm.args.text).toContain("/invite @incident-bot");
    expect((await h.db.prisma.gate.findUniqueOrThrow({ where: { id: gate.id } })).messageTs).toBeNull();
    await jobsDrained(h); // no retry storm, no second DM
    expect(h.fake.calls.filter((c) => c.method === "chat.postMessage" && /could not post G-/.test(c.args.text ?? ""))).toHaveLength(1);
    expect(await h.db.prisma.gateEvent.count({ where: { gateId: gate.id, kind: "gate.post_failed" } })).toBe(1);
  });

  it("serialises concurrent Done clicks: one event per item, consistent final message", async () => {
    h.fake.ensureChannel({ id: "CRACE" });
    const { gate } = await openGate(h.app.ctx, { templateId: "pre-development", subject: "race", channelId: "CRACE", openedBy: "U1" });
    await setGateItemOwner(h.app.ctx, gate.id, "U1", "1.1", "U2");
    const results = await Promise.allSettled([
      ...Array.from({ length: 5 }, (_, i) => completeGateItem(h.app.ctx, gate.id, `UCLICK${i}`, "1.1")),
      completeGateItem(h.app.ctx, gate.id, "UCLICK9", "1.2"),
    ]);
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const events = await h.db.prisma.gateEvent.findMany({ where: { gateId: gate.id, kind: "item.completed" } });
    expect(events.map((e) => (e.data as any).number).sort()).toEqual(["1.1", "1.2"]);
    await eventually(
      async () => {
        const g = await h.db.prisma.gate.findUnique({ where: { id: gate.id } });
        const msg = g?.messageTs ? h.fake.messages("CRACE").find((m) => m.ts === g.messageTs) : undefined;
        return msg && JSON.stringify(msg.blocks).includes("2/6 done");
      },
      10_000,
      "final message",
    );
    expect(h.fake.violations).toEqual([]);
  });
});
