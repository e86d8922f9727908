import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakePagerDuty, startFakePagerDuty } from "../../tools/fake-pagerduty/server.js";
import { declareAndProvision, eventually, type Harness, jobsDrained, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
const ALERT_TOKEN = "alert-token-for-paging-tests";

// Paging through a fake PagerDuty Events API v2 that follows its public docs (202 / 400 / 429 / 5xx, alert state by
// dedup_key): P1 → trigger once → ack → acknowledged → resolve → resolved; failures retried or refused in words.
describe.each(kinds)("paging the on-call through PagerDuty (%s)", (kind) => {
  let h: Harness;
  let pd: FakePagerDuty;
  beforeAll(async () => {
    pd = await startFakePagerDuty({ routingKeys: [ROUTING_KEY] });
    h = await startHarness(kind, {
      env: { PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: pd.eventsUrl, ALERT_WEBHOOK_TOKEN: ALERT_TOKEN },
    });
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h?.close();
    await pd?.close();
  });
  const eventsFor = (key: string, action?: string) => pd.events(action).filter((c) => c.body.dedup_key === key);
  const said = (channelId: string, re: RegExp) => h.fake.messages(channelId).filter((m) => re.test(m.text));

  it("pages a P1 once, acknowledges it with ack and resolves it with resolve", async () => {
    const inc = await declareAndProvision(h, "P1 Fraud model returns NaN scores");
    const key = `incident-bot/INC-${inc.id}`;
    const [trigger] = await eventually(() => (eventsFor(key, "trigger").length ? eventsFor(key, "trigger") : null), 10_000, "trigger");
    expect(trigger.body.routing_key).toBe(ROUTING_KEY);
    expect(trigger.body.payload.severity).toBe("critical");
    expect(trigger.body.payload.summary).toBe(`INC-${inc.id} P1: Fraud model returns NaN scores`);
    expect(trigger.body.payload.custom_details.reason).toBe("declared P1");
    expect(pd.alerts.get(key)?.status).toBe("triggered");
    await eventually(() => said(inc.channelId!, /Paged the on-call through PagerDuty/)[0], 10_000, "paged notice");
    await eventually(() => h.db.prisma.timelineEvent.findFirst({ where: { incidentId: inc.id, kind: "page.sent" } }), 5000, "timeline");

    await runCommand(h, "/incident", "ack", { userId: "UONCALL", channelId: inc.channelId! });
    await eventually(() => pd.alerts.get(key)?.status === "acknowledged", 10_000, "acknowledged in PagerDuty");
    await runCommand(h, "/incident", "resolve model rolled back", { userId: "UONCALL", channelId: inc.channelId! });
    await eventually(() => pd.alerts.get(key)?.status === "resolved", 10_000, "resolved in PagerDuty");
    await jobsDrained(h);
    expect(pd.alerts.get(key)?.log).toEqual(["trigger", "acknowledge", "resolve"]);
    expect(eventsFor(key, "trigger")).toHaveLength(1);
    expect(eventsFor(key, "acknowledge")).toHaveLength(1);
    const sent = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "page.sent" }, orderBy: { id: "asc" } });
    expect(sent.map((e) => (e.data as any).action)).toEqual(["trigger", "acknowledge", "resolve"]);
  });

  it("pages nothing for a P2, and pages when it is raised to P1", async () => {
    const inc = await declareAndProvision(h, "P2 Ranking latency p99 doubled");
    const key = `incident-bot/INC-${inc.id}`;
    await jobsDrained(h);
    expect(eventsFor(key)).toHaveLength(0);
    await runCommand(h, "/incident", "sev P1", { userId: "UONCALL", channelId: inc.channelId! });
    await eventually(() => eventsFor(key, "trigger").length === 1, 10_000, "trigger after sev P1");
    expect(eventsFor(key, "trigger")[0]!.body.payload.custom_details.reason).toMatch(/severity raised to P1/);
  });

  it("acknowledges the incident from PagerDuty's own acknowledge without sending one back", async () => {
    const inc = await declareAndProvision(h, "P1 Feature store unreachable");
    const key = `incident-bot/INC-${inc.id}`;
    await eventually(() => eventsFor(key, "trigger").length === 1, 10_000, "trigger");
    const res = await fetch(`${h.appUrl}/alerts/pagerduty`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ALERT_TOKEN}` },
      body: JSON.stringify({ routing_key: ALERT_TOKEN, event_action: "acknowledge", dedup_key: key }),
    });
    expect(res.status).toBe(202);
    expect((await res.json()).incidents).toEqual([`INC-${inc.id}`]);
    const row = await eventually(
      async () => (await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } })).acknowledgedAt,
      5000,
      "acknowledged",
    );
    expect(row).toBeInstanceOf(Date);
    await jobsDrained(h);
    expect(eventsFor(key, "acknowledge")).toHaveLength(0); // no loop
    expect(await h.db.prisma.clock.findUnique({ where: { incidentId_kind: { incidentId: inc.id, kind: "ack" } } })).toMatchObject({
      metAt: expect.any(Date),
    });
  });

  it("retries 429 and 5xx with backoff, says so once, and the trigger arrives once", async () => {
    pd.failNext(429, 503);
    const inc = await declareAndProvision(h, "P1 Batch scoring stuck");
    const key = `incident-bot/INC-${inc.id}`;
    await eventually(() => said(inc.channelId!, /could not be sent after 2 attempts/)[0], 15_000, "failing notice");
    await eventually(() => eventsFor(key, "trigger").length === 1, 20_000, "trigger on the third attempt");
    await jobsDrained(h);
    expect(pd.calls.filter((c) => c.body?.dedup_key === key).map((c) => c.status)).toEqual([429, 503, 202]);
    expect(said(inc.channelId!, /could not be sent/)).toHaveLength(1);
  });

  it("says in words when PagerDuty refuses an event (400) and does not retry it", async () => {
    pd.failNext(400);
    const inc = await declareAndProvision(h, "P1 Embeddings service OOM");
    const key = `incident-bot/INC-${inc.id}`;
    const notice = await eventually(() => said(inc.channelId!, /PagerDuty refused the page/)[0], 10_000, "refused notice");
    expect(notice.text).toContain("Invalid routing key");
    expect(notice.text).toContain("PAGERDUTY_ROUTING_KEY");
    await jobsDrained(h);
    expect(pd.calls.filter((c) => c.body?.dedup_key === key)).toHaveLength(1);
    expect((await h.db.prisma.pageEvent.findFirstOrThrow({ where: { dedupKey: key } })).state).toBe("rejected");
  });

  it("/incident page pages on demand with the message, and resolve resolves that alert too", async () => {
    const inc = await declareAndProvision(h, "P2 Drift on lead_source");
    const reply = await runCommand(h, "/incident", "page <@UDBA|dba> warehouse export is stuck", {
      userId: "ULEAD",
      channelId: inc.channelId!,
    });
    expect(reply.text).toContain("Paging the on-call through PagerDuty for <@UDBA>");
    const key = `incident-bot/INC-${inc.id}/page-1`;
    const [t] = await eventually(() => (eventsFor(key, "trigger").length ? eventsFor(key, "trigger") : null), 10_000, "page trigger");
    expect(t.body.payload.summary).toBe(`INC-${inc.id}: warehouse export is stuck (for Slack user UDBA)`);
    expect(t.body.payload.custom_details.requested_by_slack_user).toBe("ULEAD");
    const usage = await runCommand(h, "/incident", "page", { userId: "ULEAD", channelId: inc.channelId! });
    expect(usage.text).toContain("/incident page [<@U…>|<schedule id>] <message>");
    await runCommand(h, "/incident", "resolve done", { userId: "ULEAD", channelId: inc.channelId! });
    await eventually(() => pd.alerts.get(key)?.status === "resolved", 10_000, "page alert resolved");
  });
});

describe("paging off", () => {
  it("is invisible without PAGERDUTY_ROUTING_KEY: no page subcommand in help, page says how to set it up", async () => {
    const h = await startHarness(kinds[0]!);
    try {
      const help = await runCommand(h, "/incident", "help", { userId: "U1", channelId: "CGENERAL" });
      expect(help.text).not.toContain("/incident page");
      const inc = await declareAndProvision(h, "P1 Something broke");
      const reply = await runCommand(h, "/incident", "page now", { userId: "U1", channelId: inc.channelId! });
      expect(reply.text).toContain("PAGERDUTY_ROUTING_KEY");
      expect(await h.db.prisma.pageEvent.count()).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe("paging at twice a target", () => {
  it("triggers once when a clock escalates, naming the clock", async () => {
    const pd = await startFakePagerDuty();
    const h = await startHarness(kinds[0]!, {
      env: { PAGERDUTY_ROUTING_KEY: ROUTING_KEY, PAGERDUTY_EVENTS_URL: pd.eventsUrl, ACK_TARGET_SECONDS: "1" },
    });
    try {
      const inc = await declareAndProvision(h, "P3 Label delay on the feedback topic");
      const key = `incident-bot/INC-${inc.id}`;
      const [t] = await eventually(() => (pd.events("trigger").length ? pd.events("trigger") : null), 15_000, "escalation trigger");
      expect(t.body.dedup_key).toBe(key);
      expect(t.body.payload.severity).toBe("warning");
      expect(t.body.payload.custom_details.reason).toMatch(/escalated: Acknowledge unmet at twice its target/i);
      await jobsDrained(h);
      expect(pd.events("trigger")).toHaveLength(1);
    } finally {
      await h.close();
      await pd.close();
    }
  }, 60_000); // its own app start-up plus a clock that must pass twice its target: over 30 s on a loaded machine
});
