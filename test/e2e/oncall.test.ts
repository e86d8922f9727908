import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePagerDuty, startFakePagerDuty } from "../../tools/fake-pagerduty/server.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const TOKEN = "y_NbAkKc66ryYTWUXYEu";

// Who is on call, from a fake PagerDuty REST API (GET /oncalls, Token auth, paged) mapped to Slack users by email
// through the fake Slack's users.lookupByEmail: invited, named in ack nudges, listed; PagerDuty down → still opens.
describe.each(kinds)("who is on call (%s)", (kind) => {
  let h: Harness;
  let pd: FakePagerDuty;
  beforeAll(async () => {
    pd = await startFakePagerDuty({ apiToken: TOKEN });
    pd.oncalls = [
      { scheduleId: "PSCHED1", scheduleName: "ML primary", user: { id: "PALICE", name: "Alice", email: "alice@example.com" } },
      { scheduleId: "PSCHED1", scheduleName: "ML primary", user: { id: "PBOB", name: "Bob", email: "bob@example.com" }, level: 2 },
      // 100 more on a second schedule: the answer takes two pages (limit 100).
      ...Array.from({ length: 100 }, (_, i) => ({
        scheduleId: "PSCHED2",
        scheduleName: "Data platform",
        user: { id: `PSYN${i}`, name: `Syn ${i}`, email: `u0syn${String(i).padStart(3, "0")}@fake.slack.test` },
        level: 3,
      })),
      { scheduleId: "POTHER1", scheduleName: "Not ours", user: { id: "PEVE", name: "Eve", email: "eve@example.com" } },
    ];
    h = await startHarness(kind, {
      env: {
        PAGERDUTY_API_TOKEN: TOKEN,
        PAGERDUTY_SCHEDULE_IDS: "PSCHED1,PSCHED2",
        PAGERDUTY_API_URL: pd.apiUrl,
        INCIDENT_RESPONDERS: "URESP1",
        ACK_TARGET_SECONDS: "5",
      },
    });
    h.fake.workspace.addUser({ id: "UALICE", name: "alice", email: "alice@example.com" });
    h.fake.workspace.addUser({ id: "UEVE", name: "eve", email: "eve@example.com" });
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h?.close();
    await pd?.close();
  });
  const said = (channelId: string, re: RegExp) => h.fake.messages(channelId).filter((m) => re.test(m.text));

  it("invites who is on call, says who has no Slack account, and names the on-call in the ack nudge", async () => {
    const inc = await declareAndProvision(h, "P3 Label join dropping rows");
    const notice = await eventually(() => said(inc.channelId!, /On call now \(PagerDuty\)/)[0], 10_000, "on-call notice");
    expect(notice.text).toContain("<@UALICE> — ML primary");
    expect(notice.text).toContain("Bob (bob@example.com, not found in Slack)");
    const members = h.fake.channel(inc.channelId!)!.members;
    expect(members).toContain("UALICE");
    expect(members).toContain("U0SYN099");
    expect(members).not.toContain("UEVE"); // another schedule
    expect(members).toContain("URESP1"); // the responders are still invited
    const oncallCalls = pd.calls.filter((c) => c.path.startsWith("/oncalls"));
    expect(oncallCalls.some((c) => c.path.includes("offset=100") && c.status === 200)).toBe(true);
    expect(oncallCalls[0]!.path).toContain("include%5B%5D=users");
    const nudge = await eventually(() => said(inc.channelId!, /Acknowledge target missed/)[0], 10_000, "ack nudge");
    expect(nudge.text, nudge.text).toContain("<@UALICE>");
    expect(nudge.text).not.toContain("<@URESP1>");
    const ev = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: inc.id, kind: "oncall.invited" } });
    expect((ev.data as any).missing).toEqual(["bob@example.com"]);
  });

  it("lists who is on call with /incident oncall, anywhere", async () => {
    const reply = await runCommand(h, "/incident", "oncall", { userId: "UANY", channelId: "CGENERAL" });
    expect(reply.text).toContain("On call now");
    expect(reply.text).toContain("<@UALICE> — ML primary");
    expect(reply.text).toContain("Bob (bob@example.com, not found in Slack) — ML primary, level 2");
    const help = await runCommand(h, "/incident", "help", { userId: "UANY", channelId: "CGENERAL" });
    expect(help.text).toContain("/incident oncall");
  });

  it("still opens the incident with INCIDENT_RESPONDERS when PagerDuty is down, and says who could not be looked up", async () => {
    pd.restFaults.push(503);
    const inc = await declareAndProvision(h, "P2 Scoring API 5xx");
    const notice = await eventually(() => said(inc.channelId!, /Could not look up who is on call/)[0], 10_000, "lookup failed notice");
    expect(notice.text).toContain("HTTP 503");
    expect(notice.text).toContain("<@URESP1>");
    expect(h.fake.channel(inc.channelId!)!.members).toContain("URESP1");
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "oncall.lookup_failed" } })).toBe(1);
  });
});

describe("on-call off", () => {
  it("without PAGERDUTY_API_TOKEN, /incident oncall says how to set it up and help does not list it", async () => {
    const h = await startHarness(kinds[0]!);
    try {
      const reply = await runCommand(h, "/incident", "oncall", { userId: "U1", channelId: "CGENERAL" });
      expect(reply.text).toContain("PAGERDUTY_API_TOKEN and PAGERDUTY_SCHEDULE_IDS");
      const help = await runCommand(h, "/incident", "help", { userId: "U1", channelId: "CGENERAL" });
      expect(help.text).not.toContain("/incident oncall");
    } finally {
      await h.close();
    }
  });
});
