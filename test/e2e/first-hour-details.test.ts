import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateClocks } from "../../src/clocks/evaluate-clocks.js";
import { ManualClock } from "../../src/clock.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// Issue 12, point 7: the small things a new user notices in the first hour, through the real app and the fake Slack.
describe.each(kinds)("first-hour details (%s)", (kind) => {
  let h: Harness;
  const clock = new ManualClock(new Date());
  beforeAll(async () => {
    h = await startHarness(kind, { clock, env: { TIMEZONE: "Europe/Berlin" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const blocksOf = (channelId: string) => JSON.stringify(h.fake.messages(channelId).map((m: any) => m.blocks ?? []));

  it("a fresh P1 is green, not red: the colour follows the clocks, and a raised severity does not change it", async () => {
    const inc = await declareAndProvision(h, "P1 Scoring API returns 500s");
    expect(inc.escalation).toBe("green");
    await eventually(() => blocksOf(inc.channelId!).includes("Scoring API returns 500s"), 10_000, "header posted");
    expect(blocksOf(inc.channelId!)).toContain("🟢");
    expect(blocksOf(inc.channelId!)).not.toContain("🔴");

    const p3 = await declareAndProvision(h, "P3 Slow nightly export");
    await runCommand(h, "/incident", "sev P1", { userId: "UDECL", channelId: p3.channelId! });
    const raised = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: p3.id } });
    expect(raised.severity).toBe("P1");
    expect(raised.escalation).toBe("green");
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: p3.id, kind: "escalation.changed" } })).toBe(0);
  });

  it("App Home shows its time in TIMEZONE, not UTC", async () => {
    await h.slack.event({ type: "app_home_opened", user: "UHOME", channel: "DHOME", tab: "home" });
    const home = await eventually(() => h.fake.homeView("UHOME"), 10_000, "home published");
    const text = JSON.stringify(home.blocks);
    expect(text).toMatch(/updated \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin/);
    expect(text).not.toMatch(/\d\d:\d\d UTC/);
  });

  it("`/incident help` starts with Start here and groups by phase; an unknown subcommand still gets the usage", async () => {
    const help = await runCommand(h, "/incident", "help", { userId: "UNEW", channelId: "CGENERAL" });
    const order = ["*Start here*", "*Declare and look around*", "*During the incident*", "*Communicate*", "*After*", "`/gate help`"];
    const at = order.map((t) => help.text.indexOf(t));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const unknown = await runCommand(h, "/incident", "halp", { userId: "UNEW", channelId: "CGENERAL" });
    expect(unknown.text).toMatch(/Unknown \/incident subcommand "halp"/);
    expect(unknown.text).toContain("*Start here*");
    expect(unknown.text).toContain("/incident declare [--private]");
  });

  it("a target missed and then met reads as one late line on the timeline, not 'missed' then 'met'", async () => {
    const inc = await declareAndProvision(h, "P2 Churn model AUC dropped");
    clock.advance(480); // 3 minutes past the 5-minute ack target
    expect((await evaluateClocks(h.app.ctx, inc.id)).nudged).toContainEqual({ incidentId: inc.id, clock: "ack" });
    await runCommand(h, "/incident", "ack", { userId: "UDECL", channelId: inc.channelId! });
    const timeline = await runCommand(h, "/incident", "timeline", { userId: "UDECL", channelId: inc.channelId! });
    const text = JSON.stringify(timeline.body);
    expect(text).toContain("Acknowledge target missed (5 minutes since detection)");
    expect(text).toContain("Acknowledged 3 minutes late (target 5 minutes)");
    expect(text).not.toMatch(/target met/);
    const met = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: inc.id, kind: "clock.met" } });
    expect(met.data).toEqual({ clock: "ack", late: true });
  });

  it("the uploaded review file names people (users.info, cached), not raw <@U…> ids", async () => {
    h.fake.addUser({ id: "UKIMLEE", name: "kim.lee", real_name: "Kim Lee" });
    const inc = await declareAndProvision(h, "P2 Feature pipeline wrote nulls");
    const as = { userId: "UDECL", channelId: inc.channelId! };
    await runCommand(h, "/incident", "action Add a null-rate check <@UKIMLEE|kim> due 2030-01-10", as);
    await runCommand(h, "/incident", "action Alert on row counts <@UKIMLEE|kim>", as);
    await runCommand(h, "/incident", "action Write the data contract <@UNOSUCH|gone>", as);
    const infoCalls = () => h.fake.callsTo("users.info").filter((c: any) => c.args.user === "UKIMLEE").length;
    await runCommand(h, "/incident", "review", as);
    const upload = await eventually(
      () => h.fake.uploads.find((u) => u.filename === `INC-${inc.id}-post-incident-review.md` && u.completed),
      15_000,
      "review uploaded",
    );
    const content = Buffer.from(upload.bytes!).toString("utf8");
    expect(content).toContain("Add a null-rate check - Owner: @kim.lee - Due: 2030-01-10");
    expect(content).toContain("Alert on row counts - Owner: @kim.lee");
    expect(content).toMatch(/Write the data contract - Owner: @unosuch/); // the fake knows any U… id by its lower-cased name
    expect(content).not.toMatch(/<@U/);
    expect(infoCalls()).toBe(1); // two mentions of one person: one lookup
    // The stored draft keeps the ids (the web view and a later re-upload resolve them again).
    expect((await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId: inc.id } })).markdown).toContain("<@UKIMLEE>");
  });
});
