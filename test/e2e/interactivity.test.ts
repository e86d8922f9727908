import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, DECLARE_FIELDS, NA_FIELDS, VIEWS } from "../../src/chat/ids.js";
import { declareAndProvision, eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("buttons, pickers and modals (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const playbookJson = async (incidentId: number) => {
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    // text and blocks: the pinned playbook shows only the current step in full; its fallback text lists every item
    const m: any = h.fake.messages(inc.channelId!).find((m: any) => m.ts === inc.playbookTs);
    return JSON.stringify({ text: m?.text, blocks: m?.blocks ?? [] });
  };
  const item = (incidentId: number, number: string) =>
    h.db.prisma.checklistItem.findFirstOrThrow({ where: { incidentId, list: "playbook", number } });

  it("/incident alone opens the declare modal; submitting it declares once, even when submitted twice", async () => {
    const res = await h.slack.command("/incident", "", { userId: "UMODAL", channelId: "CGENERAL" });
    expect(res.status).toBe(200);
    const open = await h.fake.waitForCall("views.open");
    expect(open.args.view.callback_id).toBe(VIEWS.declare);
    expect(open.args.trigger_id).toBe(res.triggerId);

    const invalid = await h.slack.viewSubmission({
      userId: "UMODAL",
      callbackId: VIEWS.declare,
      values: { [DECLARE_FIELDS.title.block]: { [DECLARE_FIELDS.title.action]: "   " } },
    });
    expect(JSON.parse(invalid.body)).toMatchObject({ response_action: "errors" });

    const values = {
      [DECLARE_FIELDS.title.block]: { [DECLARE_FIELDS.title.action]: "Churn model predicts NaN" },
      [DECLARE_FIELDS.severity.block]: { [DECLARE_FIELDS.severity.action]: { option: "P1" } },
      [DECLARE_FIELDS.category.block]: { [DECLARE_FIELDS.category.action]: { option: "model" } },
      [DECLARE_FIELDS.service.block]: { [DECLARE_FIELDS.service.action]: "churn-predictor" },
      [DECLARE_FIELDS.summary.block]: { [DECLARE_FIELDS.summary.action]: "30% of predictions are NaN since 09:10" },
    };
    const first = await h.slack.viewSubmission({
      userId: "UMODAL",
      callbackId: VIEWS.declare,
      values,
      viewId: "VDECLARE1",
      privateMetadata: JSON.stringify({ channelId: "CGENERAL" }),
    });
    const second = await h.slack.viewSubmission({ userId: "UMODAL", callbackId: VIEWS.declare, values, viewId: "VDECLARE1" });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const incs = await h.db.prisma.incident.findMany({ where: { title: "Churn model predicts NaN" } });
    expect(incs).toHaveLength(1);
    expect(incs[0]).toMatchObject({ severity: "P1", category: "model", service: "churn-predictor", declaredBy: "UMODAL" });
    const provisioned = await eventually(() =>
      h.db.prisma.incident.findFirst({ where: { id: incs[0]!.id, provisionedAt: { not: null } } }),
    );
    // The model category tailors MITIGATE: roll back the registry pointer and verify /health.
    expect(await playbookJson(provisioned.id)).toMatch(/model-registry pointer/);
  });

  it("Done, owner picker, N/A modal and Reopen work from the pinned playbook", async () => {
    const inc = await declareAndProvision(h, "P2 Latency spike on scoring API");
    const value = (n: string) => `${inc.id}|playbook|${n}`;
    const done = await h.slack.blockAction({
      userId: "UALEX",
      channelId: inc.channelId!,
      messageTs: inc.playbookTs!,
      actionId: `${ACTIONS.itemDone}:playbook:1.1`,
      value: value("1.1"),
    });
    expect(done.status).toBe(200);
    await eventually(async () => (await item(inc.id, "1.1")).state === "done");
    expect(await item(inc.id, "1.1")).toMatchObject({ completedBy: "UALEX", ownerId: "UALEX" });

    await h.slack.blockAction({
      userId: "UALEX",
      channelId: inc.channelId!,
      messageTs: inc.playbookTs!,
      actionId: `${ACTIONS.itemOwner}:playbook:2.1`,
      blockId: "item|playbook|2.1",
      selectedUser: "UBEA",
    });
    await eventually(async () => (await item(inc.id, "2.1")).ownerId === "UBEA");

    const naClick = await h.slack.blockAction({
      userId: "UALEX",
      channelId: inc.channelId!,
      messageTs: inc.playbookTs!,
      actionId: `${ACTIONS.itemNa}:playbook:4.2`,
      value: value("4.2"),
    });
    const opened = await h.fake.waitForCall("views.open", (c) => c.args.trigger_id === naClick.triggerId);
    expect(opened.args.view.callback_id).toBe(VIEWS.itemNa);
    const empty = await h.slack.viewSubmission({
      userId: "UALEX",
      callbackId: VIEWS.itemNa,
      privateMetadata: value("4.2"),
      values: { [NA_FIELDS.justification.block]: { [NA_FIELDS.justification.action]: "" } },
    });
    expect(JSON.parse(empty.body)).toMatchObject({
      response_action: "errors",
      errors: { [NA_FIELDS.justification.block]: expect.any(String) },
    });
    expect((await item(inc.id, "4.2")).state).toBe("todo");
    await h.slack.viewSubmission({
      userId: "UALEX",
      callbackId: VIEWS.itemNa,
      privateMetadata: value("4.2"),
      values: { [NA_FIELDS.justification.block]: { [NA_FIELDS.justification.action]: "Internal-only API, no business stakeholders" } },
    });
    expect(await item(inc.id, "4.2")).toMatchObject({ state: "na", justification: "Internal-only API, no business stakeholders" });

    await h.slack.blockAction({
      userId: "UALEX",
      channelId: inc.channelId!,
      messageTs: inc.playbookTs!,
      actionId: `${ACTIONS.itemReopen}:playbook:1.1`,
      value: value("1.1"),
    });
    await eventually(async () => (await item(inc.id, "1.1")).state === "todo");

    await eventually(
      async () => {
        const json = await playbookJson(inc.id);
        return json.includes("<@UBEA>") && json.includes("(1 N/A)") ? json : null; // 2.1's owner and 4.2's N/A on their step lines
      },
      10_000,
      "playbook message updated in place",
    );
    const kindsSeen = (await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id } })).map((e) => e.kind);
    expect(kindsSeen).toEqual(expect.arrayContaining(["item.completed", "item.owner_set", "item.marked_na", "item.reopened"]));
    expect(h.fake.violations).toEqual([]);
  });

  it("two people pressing Done at the same moment leave one consistent message and one event per change", async () => {
    const inc = await declareAndProvision(h, "P3 Concurrent clicks");
    const press = (user: string, n: string) =>
      h.slack.blockAction({
        userId: user,
        channelId: inc.channelId!,
        messageTs: inc.playbookTs!,
        actionId: `${ACTIONS.itemDone}:playbook:${n}`,
        value: `${inc.id}|playbook|${n}`,
      });
    await Promise.all([press("UONE", "2.1"), press("UTWO", "2.2"), press("UONE", "2.3"), press("UTWO", "2.3")]);
    await eventually(
      async () =>
        (await item(inc.id, "2.1")).state === "done" &&
        (await item(inc.id, "2.2")).state === "done" &&
        (await item(inc.id, "2.3")).state === "done",
    );
    const completed = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "item.completed" } });
    expect(completed.map((e) => (e.data as any).number).sort()).toEqual(["2.1", "2.2", "2.3"]);
    expect(completed.find((e) => (e.data as any).number === "2.1")?.actorId).toBe("UONE");
    expect(completed.find((e) => (e.data as any).number === "2.2")?.actorId).toBe("UTWO");
    // The last render reflects all three, whatever order the renders ran in.
    await eventually(
      async () => {
        const json = await playbookJson(inc.id);
        return ["2.1", "2.2", "2.3"].every((n) => json.includes(`✅ ${n} `));
      },
      10_000,
      "final render shows every completed item",
    );
  });
});
