import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, fixture, postAlert } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("alert routes: the contract's status codes in order (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("503 on every route when ALERT_WEBHOOK_TOKEN is unset", async () => {
    const bare = await startHarness(kind);
    try {
      for (const route of ["alertmanager", "grafana", "pagerduty", "generic"]) {
        const res = await postAlert(bare.appUrl, route, fixture("generic-single"));
        expect(res.status).toBe(503);
        expect(res.json).toEqual({ error: "alert ingestion is not configured: set ALERT_WEBHOOK_TOKEN" });
      }
    } finally {
      await bare.close();
    }
  });

  it("401 without a token, with a wrong one, and before the content type is checked", async () => {
    expect((await postAlert(h.appUrl, "generic", fixture("generic-single"), { token: null })).status).toBe(401);
    expect((await postAlert(h.appUrl, "generic", fixture("generic-single"), { token: "wrong" })).status).toBe(401);
    const both = await postAlert(h.appUrl, "generic", "x", { token: "wrong", contentType: "text/plain" });
    expect(both.status).toBe(401);
    expect(both.json.error).toMatch(/unauthorized/);
  });

  it("415 for a body that is not JSON by content type", async () => {
    const res = await postAlert(h.appUrl, "generic", JSON.stringify(fixture("generic-single")), { contentType: "text/plain" });
    expect(res.status).toBe(415);
  });

  it("413 for 1 MiB + 1 byte; exactly 1 MiB is read and judged", async () => {
    const over = Buffer.alloc(1_048_577, 0x20);
    expect((await postAlert(h.appUrl, "generic", over)).status).toBe(413);
    const exact = Buffer.alloc(1_048_576, 0x20);
    const body = Buffer.from(JSON.stringify({ source: "s", title: "t" }));
    body.copy(exact);
    expect((await postAlert(h.appUrl, "generic", exact)).status).toBe(202);
  });

  it("400 for invalid JSON and for a bad envelope, with dotted issue paths", async () => {
    const bad = await postAlert(h.appUrl, "generic", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/invalid JSON/);
    const env = await postAlert(h.appUrl, "alertmanager", { version: "4", alerts: "nope" });
    expect(env.status).toBe(400);
    expect(env.json.issues[0]).toMatchObject({ path: expect.stringMatching(/^alerts/) });
    const nested = await postAlert(h.appUrl, "generic", { source: "x", title: "y", labels: { a: 1 } });
    expect(nested.status).toBe(400);
    expect(nested.json.issues.map((i: any) => i.path)).toContain("labels.a");
  });

  it("202 for a batch with one invalid alert: it is rejected with its index, the others kept", async () => {
    const res = await postAlert(h.appUrl, "generic", fixture("generic-batch"));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: 3, accepted: 2 });
    expect(res.json.rejected).toEqual([
      { index: 1, issues: [expect.objectContaining({ path: expect.stringMatching(/^alerts\.1\.labels/) })] },
    ]);
    expect(await h.db.prisma.alert.count({ where: { source: "generic", title: { in: ["p99 latency 5.5x baseline", "AUC 0.84"] } } })).toBe(
      2,
    );
  });

  it("basic auth with the token as password, and PagerDuty's routing_key", async () => {
    const basic = `Basic ${Buffer.from(`grafana:${ALERT_TOKEN}`).toString("base64")}`;
    const res = await postAlert(h.appUrl, "generic", { source: "basic", title: "basic auth works" }, { headers: { authorization: basic } });
    expect(res.status).toBe(202);
    const wrongBasic = `Basic ${Buffer.from("grafana:nope").toString("base64")}`;
    expect((await postAlert(h.appUrl, "generic", { source: "b", title: "t" }, { headers: { authorization: wrongBasic } })).status).toBe(
      401,
    );
    const pd = { ...fixture("pagerduty-acknowledge"), routing_key: ALERT_TOKEN, dedup_key: "never-seen" };
    const viaKey = await postAlert(h.appUrl, "pagerduty", pd, { token: null });
    expect(viaKey.status).toBe(202);
    expect(viaKey.json.incidents).toEqual([]); // unknown dedup_key: nothing done, like PagerDuty
    expect((await postAlert(h.appUrl, "pagerduty", fixture("pagerduty-acknowledge"), { token: null })).status).toBe(401);
    // routing_key is only a credential on /alerts/pagerduty
    expect((await postAlert(h.appUrl, "generic", { source: "x", title: "y", routing_key: ALERT_TOKEN }, { token: null })).status).toBe(401);
  });

  it("unicode labels and very long values are kept and shown within Slack's limits", async () => {
    const uni = await postAlert(h.appUrl, "generic", fixture("generic-unicode"));
    expect(uni.status).toBe(202);
    const row = await h.db.prisma.alert.findFirst({ where: { source: "generic", title: { startsWith: "Dérive" } } });
    expect((row!.labels as any)["名前"]).toBe("モデル");
    const long = await postAlert(h.appUrl, "generic", { ...fixture("generic-long"), severity: "critical" });
    expect(long.status).toBe(202);
    expect(long.json.incidents).toHaveLength(1);
    const id = Number(long.json.incidents[0].slice(4));
    await eventually(() => h.db.prisma.incident.findFirst({ where: { id, provisionedAt: { not: null } } }), 15_000, "provisioned");
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id } });
    await eventually(
      () => h.fake.messages(inc.channelId!).some((m) => /opened by a stress alert/.test(m.text)), // the sender's own source name
      10_000,
      "context message",
    );
    expect(h.fake.violations).toEqual([]);
  });

  it("metrics count alerts by source and outcome", async () => {
    const text = await (await fetch(`${h.appUrl}/metrics`)).text();
    expect(text).toMatch(/bot_alerts_total\{source="generic",outcome="rejected"\} \d/);
  });
});
