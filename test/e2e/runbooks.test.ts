import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { ACTIONS } from "../../src/chat/ids.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { provisioned } from "../helpers/reviews.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("runbooks attached to incidents (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("attaches the latency runbook to a latency incident as a pinned checklist with owners, and re-renders it in place", async () => {
    await h.db.prisma.roleAssignment.create({ data: { role: "mlops-engineer", userId: "UMLOPS", updatedBy: "UADMIN" } });
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Scoring API slow",
      severity: "P2",
      category: "infrastructure",
      declaredBy: "UDECL",
      source: "alert",
      metricName: "latency_p99",
    });
    const list = "runbook:api-latency-spike";
    const items = await h.db.prisma.checklistItem.findMany({ where: { incidentId: incident.id, list }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.number)).toEqual(["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]);
    expect(items.every((i) => i.ownerId === "UMLOPS")).toBe(true);
    const event = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "runbook.attached" } });
    expect(event.data).toEqual({ runbookId: "api-latency-spike" });

    const channelId = (await provisioned(h, incident.id)).channelId!;
    const row = await eventually(
      () => h.db.prisma.checklistMessage.findFirst({ where: { incidentId: incident.id, list, pinned: true } }),
      15_000,
      "runbook message pinned",
    );
    expect(h.fake.pins(channelId).map((p) => p.ts)).toContain(row.ts);
    expect(h.fake.pins(channelId)).toHaveLength(3); // header, playbook, runbook
    const message = h.fake.messages(channelId).find((m) => m.ts === row.ts)!;
    expect(message.text).toContain("Runbook: API latency spike");
    expect(message.metadata?.event_type).toBe("incident_runbook");

    // The Done control on the runbook message works through the shared item actions (the list is in its value).
    const value = `${incident.id}|${list}|1.1`;
    await h.slack.blockAction({ userId: "UMLOPS", channelId, messageTs: row.ts!, actionId: `${ACTIONS.itemDone}:${list}:1.1`, value });
    await eventually(
      () => h.db.prisma.checklistItem.findFirst({ where: { incidentId: incident.id, list, number: "1.1", state: "done" } }),
      10_000,
      "done",
    );
    await eventually(
      () => h.fake.callsTo("chat.update").some((c) => c.args.ts === row.ts && String(c.args.text).includes("✅ 1.1")),
      10_000,
      "runbook message updated",
    );
    // Still one runbook message.
    expect(h.fake.messages(channelId).filter((m) => m.metadata?.event_type === "incident_runbook")).toHaveLength(1);
    expect(h.fake.violations).toEqual([]);
  });

  it("attaches the one-feature drift runbook for a PSI alert on one feature, and the several-features one when a second feature drifts", async () => {
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Lead scores look off",
      severity: "P2",
      declaredBy: "UDECL",
      source: "command",
    });
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: incident.id, list: { startsWith: "runbook:" } } })).toBe(0);
    const now = new Date();
    const driftAlert = (feature: string) => ({
      source: "generic",
      fingerprint: `lead-scoring/psi/${feature}/${incident.id}`,
      status: "firing",
      severity: "P2",
      title: `PSI 0.31 on feature ${feature}`,
      feature,
      metricName: "psi",
      metricValue: 0.31,
      payloadHash: "x",
      firstSeenAt: now,
      lastSeenAt: now,
      incidentId: incident.id,
    });
    await h.db.prisma.alert.create({ data: driftAlert("lead_source") });
    const channelId = (await provisioned(h, incident.id)).channelId!;
    await h.app.ctx.jobs.send("render", { incidentId: incident.id });
    const posted = (list: string) =>
      eventually(
        () => h.db.prisma.checklistMessage.findFirst({ where: { incidentId: incident.id, list, pinned: true } }),
        15_000,
        `${list} posted`,
      );
    const one = await posted("runbook:feature-drift");
    expect(h.fake.messages(channelId).find((m) => m.ts === one.ts)!.text).toContain("Data drift in one feature");
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: incident.id, list: "runbook:feature-drift" } })).toBe(6);
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: incident.id, list: "runbook:multi-feature-drift" } })).toBe(0);
    expect(h.fake.messages(channelId).some((m) => /multiple features/.test(m.text))).toBe(false);

    // A second feature drifts on the same incident: now it is drift in several features.
    await h.db.prisma.alert.create({ data: driftAlert("tenure") });
    await h.app.ctx.jobs.send("render", { incidentId: incident.id });
    const several = await posted("runbook:multi-feature-drift");
    expect(h.fake.messages(channelId).find((m) => m.ts === several.ts)!.text).toContain("Data drift in multiple features");
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: incident.id, list: "runbook:multi-feature-drift" } })).toBe(5);
    const attached = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: incident.id, kind: "runbook.attached" } });
    expect(attached.map((e) => e.data)).toEqual([{ runbookId: "feature-drift" }, { runbookId: "multi-feature-drift" }]);
    expect(h.fake.violations).toEqual([]);
  });

  it("attaches nothing when no runbook matches", async () => {
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Dashboard typo",
      severity: "P4",
      declaredBy: "UDECL",
      source: "command",
    });
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: incident.id, list: { startsWith: "runbook:" } } })).toBe(0);
  });
});
