import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// Issue 12, point 7: the small things a new user notices in the first hour, through the real app and the fake Slack.
describe.each(kinds)("first-hour details (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { TIMEZONE: "Europe/Berlin" } });
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
});
