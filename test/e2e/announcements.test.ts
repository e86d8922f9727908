import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, METADATA } from "../../src/chat/ids.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const ANNOUNCE = "CANNOUNCE";

describe.each(kinds)("announcements in INCIDENTS_CHANNEL_ID (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { INCIDENTS_CHANNEL_ID: ANNOUNCE } });
    h.fake.ensureChannel({ id: ANNOUNCE, name: "incidents", members: ["UCURIOUS"] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const announcements = (incidentId: number) =>
    h.fake
      .messages(ANNOUNCE)
      .filter(
        (m: any) => m.metadata?.event_type === METADATA.announcement && String(m.metadata.event_payload.incident_id) === String(incidentId),
      );

  it("a new incident is announced once with a Join button, edited in place on severity, status and resolve", async () => {
    const inc = await declareAndProvision(h, "P2 Lead scoring PSI drift");
    const first: any = await eventually(() => announcements(inc.id)[0], 10_000, "announcement posted");
    expect(first.text).toContain(`INC-${inc.id} P2 investigating: Lead scoring PSI drift`);
    const json = () => JSON.stringify(announcements(inc.id)[0]?.blocks);
    expect(json()).toContain(`<#${inc.channelId}>`);
    const join = first.blocks.find((b: any) => b.block_id === "announcement_actions").elements[0];
    expect(join).toMatchObject({ action_id: ACTIONS.joinIncident, value: String(inc.id), text: { text: "Join channel" } });

    const as = { userId: "UDECL", channelId: inc.channelId! };
    await runCommand(h, "/incident", "sev P1", as);
    await eventually(() => announcements(inc.id)[0]?.text.includes("P1 investigating"), 10_000, "severity edited in place");
    await runCommand(h, "/incident", "lead <@ULEAD|lead>", as);
    await runCommand(h, "/incident", "status identified", as);
    await eventually(() => json().includes("<@ULEAD>") && announcements(inc.id)[0]!.text.includes("identified"), 10_000, "lead, status");
    await runCommand(h, "/incident", "resolve rolled back the feature pipeline", as);
    await eventually(() => announcements(inc.id)[0]?.text.includes("resolved"), 10_000, "marked resolved");
    expect(json()).toContain("✅ resolved");

    expect(announcements(inc.id)).toHaveLength(1); // edited in place, never re-posted
    const posts = h.fake.calls.filter((c: any) => c.method === "chat.postMessage" && c.args.channel === ANNOUNCE);
    expect(posts.filter((c: any) => String(c.args.metadata?.event_payload?.incident_id) === String(inc.id))).toHaveLength(1);
    expect(h.fake.calls.some((c: any) => c.method === "chat.update" && c.args.channel === ANNOUNCE)).toBe(true);
    expect(h.fake.violations).toEqual([]);
  });

  it("Join channel invites whoever pressed it; a private incident is never announced", async () => {
    const inc = await declareAndProvision(h, "P2 Churn API errors");
    const msg: any = await eventually(() => announcements(inc.id)[0], 10_000, "announcement posted");
    await h.slack.blockAction({
      userId: "UCURIOUS",
      channelId: ANNOUNCE,
      messageTs: msg.ts,
      actionId: ACTIONS.joinIncident,
      value: String(inc.id),
    });
    await eventually(
      () =>
        h.fake.calls.find(
          (c: any) => c.method === "conversations.invite" && c.args.channel === inc.channelId && c.args.users === "UCURIOUS",
        ),
      10_000,
      "invited",
    );
    await eventually(
      () => h.fake.ephemerals.find((e: any) => e.user === "UCURIOUS" && String(e.text).includes(inc.channelId!)),
      10_000,
      "told",
    );

    const secret = await declareAndProvision(h, "--private P2 Payroll model leak");
    expect(secret.isPrivate).toBe(true);
    await runCommand(h, "/incident", "sev P1", { userId: "UDECL", channelId: secret.channelId! });
    // the render job after the change has run (the header shows P1), and still nothing was announced
    await eventually(
      () => JSON.stringify(h.fake.messages(secret.channelId!).find((m: any) => m.ts === secret.headerTs)?.blocks).includes("P1"),
      10_000,
      "private header re-rendered",
    );
    expect(announcements(secret.id)).toHaveLength(0);
    expect(h.fake.messages(ANNOUNCE).some((m: any) => m.text.includes("Payroll"))).toBe(false);
  });
});
