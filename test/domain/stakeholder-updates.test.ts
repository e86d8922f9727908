import { PRODUCT_UPDATE_FIELD } from "../../blocks/stakeholder.js";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateClocks } from "../../src/clocks/evaluate-clocks.js";
import { postStakeholderUpdate } from "../../src/clocks/post-stakeholder-update.js";
import { setRole } from "../../src/clocks/role-directory.js";
import { sendLeadershipSummary } from "../../src/clocks/send-leadership-summary.js";
import { setUserFacing } from "../../src/clocks/set-user-facing.js";
import { draftStatusUpdate } from "../../src/status/draft-status-update.js";
import { publishStatusUpdate } from "../../src/status/publish-status-update.js";
import { ManualClock } from "../../src/clock.js";
import type { AppContext } from "../../src/context.js";
import { setStatus } from "../../src/incidents/set-status.js";
import { ACTIONS, VIEWS } from "../../src/chat/ids.js";
import { eventually, type Harness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { STAKE, useClockSuite } from "../helpers/clock-suite.js";

const kinds = await dbKinds();

describe.each(kinds)("status page, stakeholder updates, cadence (%s)", (kind) => {
  const { s: suite, declare, waitFor, clockRow } = useClockSuite(kind);
  let h: Harness;
  let clock: ManualClock;
  let ctx: AppContext;
  beforeAll(() => {
    ({ h, clock, ctx } = suite);
  });
  const events = (incidentId: number, kind: string) => h.db.prisma.timelineEvent.findMany({ where: { incidentId, kind } });

  it("runs the status-page clock only while user-facing, and meets it with statuspage", async () => {
    const inc = await declare();
    await expect(
      h.db.prisma.clock.findUnique({ where: { incidentId_kind: { incidentId: inc.id, kind: "status_page" } } }),
    ).resolves.toBeNull();
    await setUserFacing(ctx, inc.id, "UCOMMS", true);
    const started = await clockRow(inc.id, "status_page");
    expect(started.startedAt).toEqual(clock.now());
    clock.advance(100);
    await setUserFacing(ctx, inc.id, "UCOMMS", false);
    expect((await clockRow(inc.id, "status_page")).stoppedAt).not.toBeNull();
    clock.advance(7200);
    expect((await evaluateClocks(ctx, inc.id)).nudged.map((n) => n.clock)).not.toContain("status_page");

    await setUserFacing(ctx, inc.id, "UCOMMS", true);
    const resumed = await clockRow(inc.id, "status_page");
    expect(resumed.stoppedAt).toBeNull();
    expect(resumed.dueAt.getTime()).toBe(clock.now().getTime() + 3600 * 1000);
    clock.advance(3600);
    const r = await evaluateClocks(ctx, inc.id);
    expect(r.nudged.map((n) => n.clock)).toContain("status_page");
    const msg = await waitFor(inc.channelId!, /Status page update target missed/);
    expect(msg.text).toContain("1 hour since the incident became user-facing");

    // A draft alone is not public and meets nothing; publishing it does.
    const draftId = await draftStatusUpdate(ctx, inc.id, "UCOMMS", "Lead scores may be stale; we are fixing it.");
    expect((await clockRow(inc.id, "status_page")).metAt).toBeNull();
    await publishStatusUpdate(ctx, draftId, "UCOMMS");
    const row = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
    expect(row.statusPageText).toBe("Lead scores may be stale; we are fixing it.");
    expect((await clockRow(inc.id, "status_page")).metAt).not.toBeNull();
    expect(await events(inc.id, "statuspage.updated")).toHaveLength(1);
    expect((await events(inc.id, "user_facing.changed")).map((e) => e.data)).toEqual([
      { userFacing: true },
      { userFacing: false },
      { userFacing: true },
    ]);
  });

  it("update meets the product-update clock and reaches the stakeholder channel; summary meets its clock", async () => {
    const inc = await declare({ severity: "P2", title: "Feature store lag on lead_source" });
    clock.advance(120);
    await postStakeholderUpdate(ctx, inc.id, "UCOMMS", "Scores are delayed by ~10 minutes; no data loss.");
    expect((await clockRow(inc.id, "product_update")).metAt).toEqual(clock.now());
    const stake = await waitFor(STAKE, /Scores are delayed/);
    expect(stake.text).toContain("Feature store lag on lead_source");
    expect(stake.text).toContain("P2");
    expect(stake.text).toContain("investigating");
    expect(stake.text).toMatch(/Next update by \d\d:\d\d UTC/);
    await waitFor(inc.channelId!, /Scores are delayed/);
    const upd = await events(inc.id, "stakeholder.update");
    expect(upd.at(-1)!.data).toEqual({ channels: [STAKE, inc.channelId], automatic: false });
    expect(upd.at(-1)!.actorId).toBe("UCOMMS");

    await h.db.prisma.incident.update({ where: { id: inc.id }, data: { rootCause: "A stuck Kafka consumer" } });
    await sendLeadershipSummary(ctx, inc.id, "ULEAD");
    const summary = await waitFor(STAKE, /Leadership summary/);
    expect(summary.text).toContain("Impact:");
    expect(summary.text).toContain("Root cause: A stuck Kafka consumer");
    expect(summary.text).toContain("Action items");
    expect(summary.text).toContain("Detected");
    expect((await clockRow(inc.id, "leadership_summary")).metAt).not.toBeNull();
    expect((await events(inc.id, "summary.sent"))[0]!.data).toEqual({ channel: STAKE });

    // Status changes reach stakeholders in plain language.
    await setStatus(ctx, inc.id, "ULEAD", "identified");
    const plain = await waitFor(STAKE, /found the cause/);
    expect(plain.text).toContain("investigating → identified");
  });

  it("posts the automatic cadence update without meeting the product-update clock", async () => {
    await setRole(ctx, "ml-lead", "UMLLEAD", "UADMIN");
    await setRole(ctx, "mlops-engineer", "UMLOPS", "UADMIN");
    const inc = await declare({ severity: "P1", title: "Scoring API down" });
    // A P1 also invites the ML lead and the MLOps engineer from the role directory.
    expect(h.fake.channel(inc.channelId!)!.members).toEqual(expect.arrayContaining(["UDECL", "URESP1", "UMLLEAD", "UMLOPS"]));
    clock.advance(1799);
    expect((await evaluateClocks(ctx, inc.id)).cadencePosts).toEqual([]);
    clock.advance(1);
    const r = await evaluateClocks(ctx, inc.id);
    expect(r.cadencePosts).toEqual([inc.id]);
    const auto = await waitFor(STAKE, /Scheduled status: INC-\d+ Scoring API down/);
    expect(auto.text).toContain("P1");
    await waitFor(inc.channelId!, /Scheduled status/);
    expect((await clockRow(inc.id, "product_update")).metAt).toBeNull();
    expect((await evaluateClocks(ctx, inc.id)).cadencePosts).toEqual([]);
    const cadence = await clockRow(inc.id, "cadence");
    expect(cadence.dueAt.getTime()).toBe(clock.now().getTime() + 1800 * 1000);
  });

  it("offers the drafted product update before its deadline; Send posts it as an update", async () => {
    const inc = await declare({ title: "Drift on lead_source" });
    await h.db.prisma.incident.update({ where: { id: inc.id }, data: { commsId: "UCOMMS" } });
    clock.advance(1199);
    expect((await evaluateClocks(ctx, inc.id)).drafted).toEqual([]);
    clock.advance(1);
    expect((await evaluateClocks(ctx, inc.id)).drafted).toEqual([inc.id]);
    expect((await evaluateClocks(ctx, inc.id)).drafted).toEqual([]);
    const offer = await waitFor(inc.channelId!, /product update is due/);
    expect(offer.text).toContain("<@UCOMMS>");
    const actions = offer.blocks!.find((b: any) => b.type === "actions");
    const send = actions.elements.find((e: any) => e.action_id === ACTIONS.sendProductUpdate);
    expect(actions.elements.map((e: any) => e.action_id)).toContain(ACTIONS.editProductUpdate);
    const res = await h.slack.blockAction({
      userId: "UCOMMS",
      actionId: ACTIONS.sendProductUpdate,
      value: send.value,
      channelId: inc.channelId!,
      messageTs: offer.ts,
    });
    expect(res.status).toBe(200);
    await waitFor(STAKE, /Drift on lead_source/);
    await eventually(async () => (await clockRow(inc.id, "product_update")).metAt, 5000, "product update met");
  });

  it("Edit opens the drafted update in a modal; an empty submit is refused, an edited one is sent", async () => {
    const inc = await declare({ title: "Stale features in ranking" });
    clock.advance(1200);
    expect((await evaluateClocks(ctx, inc.id)).drafted).toEqual([inc.id]);
    const offer = await waitFor(inc.channelId!, /product update is due/);
    const edit = offer.blocks!.find((b: any) => b.type === "actions").elements.find((e: any) => e.action_id === ACTIONS.editProductUpdate);
    const click = await h.slack.blockAction({
      userId: "UCOMMS",
      actionId: ACTIONS.editProductUpdate,
      value: edit.value,
      channelId: inc.channelId!,
      messageTs: offer.ts,
    });
    const opened = await h.fake.waitForCall("views.open", (c) => c.args.trigger_id === click.triggerId);
    expect(opened.args.view.callback_id).toBe(VIEWS.productUpdate);
    expect(JSON.stringify(opened.args.view)).toContain("Stale features in ranking");
    const submit = (text: string) =>
      h.slack.viewSubmission({
        userId: "UCOMMS",
        callbackId: VIEWS.productUpdate,
        privateMetadata: opened.args.view.private_metadata,
        values: { [PRODUCT_UPDATE_FIELD.block]: { [PRODUCT_UPDATE_FIELD.action]: text } },
      });
    expect(JSON.parse((await submit("  ")).body)).toMatchObject({ response_action: "errors" });
    expect((await clockRow(inc.id, "product_update")).metAt).toBeNull();
    await submit("Ranking used day-old features for 20 minutes; fixed, watching closely.");
    await waitFor(STAKE, /day-old features/);
    await eventually(async () => (await clockRow(inc.id, "product_update")).metAt, 5000, "product update met");
  });
});
