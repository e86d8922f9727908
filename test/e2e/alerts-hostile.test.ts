import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// Issue 11, "Hostile input": bad input never gets a 5xx. Bodies are written as JSON text here so the escapes
// (`\u0000`, a lone `\ud800`) reach the app exactly as a sender writes them.
describe.each(kinds)("alert routes with hostile input (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (route: string, text: string) => postAlert(h.appUrl, route, text);
  const row = (fingerprint: string) => h.db.prisma.alert.findFirstOrThrow({ where: { fingerprint } });

  it("NUL and lone surrogates in strings and keys are stored as U+FFFD on all four routes (they answered 503)", async () => {
    const generic = await post("generic", String.raw`{"source":"s","title":"a\u0000b","severity":"warning","fingerprint":"hostile/nul"}`);
    expect(generic.status).toBe(202);
    expect(generic.json).toMatchObject({ received: 1, accepted: 1, rejected: [] });
    expect((await row("hostile/nul")).title).toBe("a\uFFFDb");

    const surrogate = await post(
      "generic",
      String.raw`{"source":"s","title":"x\ud800y","fingerprint":"hostile/surrogate","severity":"warning",` +
        String.raw`"labels":{"k\u0000":"v\udc00","emoji":"\ud83d\ude00"},"annotations":{"a\udbff":"\u0000"}}`,
    );
    expect(surrogate.status).toBe(202);
    const stored = await row("hostile/surrogate");
    expect(stored.title).toBe("x\uFFFDy");
    expect(stored.labels).toEqual({ "k\uFFFD": "v\uFFFD", emoji: "😀" }); // a paired surrogate stays a character
    expect(stored.annotations).toEqual({ "a\uFFFD": "\uFFFD" });

    const alertmanager = await post(
      "alertmanager",
      String.raw`{"version":"4","groupKey":"g\u0000","receiver":"r\ud800","status":"firing",` +
        String.raw`"alerts":[{"labels":{"alertname":"am\u0000","x\udfff":"1"},"annotations":{"summary":"s\u0000"}}]}`,
    );
    expect(alertmanager.status).toBe(202);
    const am = await h.db.prisma.alert.findFirstOrThrow({ where: { source: "alertmanager", title: "s\uFFFD" } });
    expect(am.labels).toEqual({ alertname: "am\uFFFD", "x\uFFFD": "1" });
    expect(am.groupKey).toBe("g\uFFFD");

    const grafana = await post(
      "grafana",
      String.raw`{"receiver":"g","alerts":[{"status":"firing","fingerprint":"hostile/grafana\u0000",` +
        String.raw`"labels":{"alertname":"gr\ud800"},"values":{"A\u0000":1}}]}`,
    );
    expect(grafana.status).toBe(202);
    expect((await row("hostile/grafana\uFFFD")).labels).toEqual({ alertname: "gr\uFFFD" });

    const pagerduty = await post(
      "pagerduty",
      `{"routing_key":"${ALERT_TOKEN}","event_action":"trigger","dedup_key":"hostile/pd\\u0000",` +
        String.raw`"payload":{"summary":"pd\ud800","source":"s","severity":"warning","custom_details":{"k\u0000":"v\udc00","n":{"\u0000":"\ud800"}}}}`,
    );
    expect(pagerduty.status).toBe(202);
    const pd = await row("hostile/pd\uFFFD");
    expect(pd.title).toBe("pd\uFFFD");
    expect(pd.labels).toMatchObject({ "k\uFFFD": "v\uFFFD" });
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });

  it("a batch with a NUL alert beside a valid critical one: 202 with both stored and the incident opened (was 503)", async () => {
    const res = await post(
      "generic",
      String.raw`{"alerts":[{"source":"s","title":"bad\u0000one","severity":"warning","fingerprint":"hostile/batch-nul"},` +
        String.raw`{"source":"s","title":"Checkout down (hostile batch)","severity":"critical","fingerprint":"hostile/batch-crit"}]}`,
    );
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: 2, accepted: 2, rejected: [] });
    expect(res.json.incidents).toHaveLength(1);
    const crit = await row("hostile/batch-crit");
    expect(crit.incidentId).not.toBeNull();
    expect(res.json.incidents).toEqual([`INC-${crit.incidentId}`]);
    expect((await row("hostile/batch-nul")).title).toBe("bad\uFFFDone");
    // A retry (the sender saw a 5xx before) changes nothing: still one incident.
    const again = await post(
      "generic",
      String.raw`{"alerts":[{"source":"s","title":"bad\u0000one","severity":"warning","fingerprint":"hostile/batch-nul"},` +
        String.raw`{"source":"s","title":"Checkout down (hostile batch)","severity":"critical","fingerprint":"hostile/batch-crit"}]}`,
    );
    expect(again.status).toBe(202);
    expect(await h.db.prisma.incident.count({ where: { title: "Checkout down (hostile batch)" } })).toBe(1);
  });

  it("a metric integer ≥ 2^53 is refused naming the field, the same on first sight and on re-send (a re-send answered 503)", async () => {
    const big = (value: string) =>
      `{"source":"s","title":"Queue deep","fingerprint":"hostile/bigint","metric":{"name":"queue_depth","value":${value}}}`;
    // The issue's example: the first sight was stored, the changed re-send answered 503 (Prisma refused the number).
    const answers = [];
    for (const value of ["9007199254740993", "9007199254740995", "-9007199254740993", "1e308"])
      answers.push(await post("generic", big(value)));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    for (const a of answers) {
      expect(a.json.issues).toEqual([{ path: "metric.value", message: "must be a finite number within ±(2^53 − 1)" }]);
    }
    // In a batch only that alert is refused; the one beside it is kept.
    const batch = await post(
      "generic",
      `{"alerts":[${big("9007199254740993")},{"source":"s","title":"ok","fingerprint":"hostile/bigint-ok","severity":"info",` +
        `"metric":{"name":"latency_p99","value":5,"baseline":1e-320}},` +
        `{"source":"s","title":"b","fingerprint":"hostile/bigint-b","metric":{"name":"prediction_mean","value":1,"baseline":1,"std":1e300}}]}`,
    );
    expect(batch.status).toBe(202);
    expect(batch.json).toMatchObject({ received: 3, accepted: 1 });
    expect(batch.json.rejected).toEqual([
      { index: 0, issues: [{ path: "alerts.0.metric.value", message: "must be a finite number within ±(2^53 − 1)" }] },
      { index: 2, issues: [{ path: "alerts.2.metric.std", message: "must be a finite number within ±(2^53 − 1)" }] },
    ]);
    expect(await h.db.prisma.alert.count({ where: { fingerprint: "hostile/bigint" } })).toBe(0);
  });

  it("the largest safe integer, -0, 1e-320 and 0.31 are stored, also when the value changes", async () => {
    const body = (value: string) =>
      `{"source":"s","title":"PSI","fingerprint":"hostile/num","severity":"warning","metric":{"name":"psi","value":${value}}}`;
    for (const [value, stored] of [
      ["9007199254740991", 9007199254740991],
      ["-9007199254740991", -9007199254740991],
      ["-0", 0],
      ["1e-320", 1e-320],
      ["0.31", 0.31],
    ] as const) {
      const res = await post("generic", body(value));
      expect(res.status, value).toBe(202);
      expect((await row("hostile/num")).metricValue).toBe(stored);
    }
  });

  it("a timestamp that is past year 9999 in UTC is refused naming the field (it answered 503)", async () => {
    const am = await post("alertmanager", `{"alerts":[{"labels":{"alertname":"late"},"startsAt":"9999-12-31T23:59:59-23:59"}]}`);
    expect(am.status).toBe(202);
    expect(am.json).toMatchObject({ received: 1, accepted: 0 });
    expect(am.json.rejected[0].issues[0].path).toBe("alerts.0.startsAt");
    const generic = await post("generic", `{"source":"s","title":"t","endsAt":"9999-12-31T23:59:59.999-00:01"}`);
    expect(generic.status).toBe(400);
    expect(generic.json.issues[0].path).toBe("endsAt");
    const latest = await post(
      "generic",
      `{"source":"s","title":"latest","fingerprint":"hostile/latest","startsAt":"9999-12-31T23:59:59.999Z"}`,
    );
    expect(latest.status).toBe(202);
    expect((await row("hostile/latest")).startsAt?.toISOString()).toBe("9999-12-31T23:59:59.999Z");
  });

  it("a critical alert with a group key too long for an index opens its incident (it answered 503)", async () => {
    const groupKey = Array.from({ length: 400 }, (_, i) => `{}/{alertname="${(i * 7919).toString(36)}${i}"}`).join(":");
    expect(groupKey.length).toBeGreaterThan(8000);
    const res = await post(
      "alertmanager",
      JSON.stringify({
        groupKey,
        alerts: [{ labels: { alertname: "LongGroup", severity: "critical" }, annotations: { summary: "Long group key" } }],
      }),
    );
    expect(res.status).toBe(202);
    expect(res.json.incidents).toHaveLength(1);
    const again = await post(
      "alertmanager",
      JSON.stringify({ groupKey, alerts: [{ labels: { alertname: "LongGroup2", severity: "critical" } }] }),
    );
    expect(again.status).toBe(202);
    expect(again.json.incidents).toEqual(res.json.incidents); // the same group: the same incident
  });

  it("PagerDuty details nested 30 000 deep, sent twice (the second from the intake memo): 202 both times (it answered 500)", async () => {
    const depth = 30_000;
    const body =
      `{"routing_key":"${ALERT_TOKEN}","event_action":"trigger","dedup_key":"hostile/deep",` +
      `"payload":{"summary":"deep","source":"s","severity":"warning","custom_details":{"x":${"[".repeat(depth)}${"]".repeat(depth)}}}}`;
    const first = await post("pagerduty", body);
    const second = await post("pagerduty", body);
    expect([first.status, second.status]).toEqual([202, 202]);
    expect((await row("hostile/deep")).count).toBe(2);
  });

  it("a critical alert whose text is cut mid-emoji opens its incident with well-formed text (it answered 503)", async () => {
    // 100 emoji are 200 UTF-16 units: the incident title's cut at 149 units split one; a 3000-emoji label is cut by
    // the alert context text (2000 units) the same way.
    for (const body of [
      { source: "s", title: "😀".repeat(100), severity: "critical", fingerprint: "hostile/emoji-title" },
      { source: "s", title: "Emoji label", labels: { a: "😀".repeat(3000) }, severity: "critical", fingerprint: "hostile/emoji-label" },
    ]) {
      const res = await postAlert(h.appUrl, "generic", body);
      expect(res.status, body.fingerprint).toBe(202);
      expect(res.json.incidents, body.fingerprint).toHaveLength(1);
      const alert = await row(body.fingerprint);
      const incident = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: alert.incidentId! } });
      expect(incident.title).toBe(body.fingerprint === "hostile/emoji-title" ? "😀".repeat(74) : "Emoji label");
      expect(incident.summary ?? "").not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });

  it("a critical alert titled with only whitespace or a BOM opens its incident under a fallback title (it answered 503)", async () => {
    const pd = await post(
      "pagerduty",
      `{"routing_key":"${ALERT_TOKEN}","event_action":"trigger","dedup_key":"hostile/bom","payload":{"summary":"\ufeff","source":"s","severity":"error"}}`,
    );
    expect(pd.status).toBe(202);
    expect(pd.json.incidents).toHaveLength(1);
    expect((await row("hostile/bom")).title).toBe("PagerDuty alert");
    const am = await post("alertmanager", `{"alerts":[{"labels":{"alertname":"   ","severity":"critical","x":"hostile-blank"}}]}`);
    expect(am.status).toBe(202);
    expect(am.json.incidents).toHaveLength(1);
  });

  it("labels, Grafana values and PagerDuty details with integers ≥ 2^53 re-sent changed: 202, no metric (were 503)", async () => {
    for (const value of ["9007199254740993", "9007199254740995"]) {
      const labels = await post(
        "generic",
        `{"source":"s","title":"Queue deep","fingerprint":"hostile/label-big","labels":{"metric":"queue_depth","value":"${value}"}}`,
      );
      expect(labels.status, value).toBe(202);
      const grafana = await post(
        "grafana",
        `{"alerts":[{"fingerprint":"hostile/grafana-big","labels":{"alertname":"g","metric":"queue_depth"},"values":{"A":${value}}}]}`,
      );
      expect(grafana.status, value).toBe(202);
      const pagerduty = await post(
        "pagerduty",
        `{"routing_key":"${ALERT_TOKEN}","event_action":"trigger","dedup_key":"hostile/pd-big",` +
          `"payload":{"summary":"s","source":"s","severity":"warning","custom_details":{"metric":"queue_depth","value":${value}}}}`,
      );
      expect(pagerduty.status, value).toBe(202);
    }
    for (const fingerprint of ["hostile/label-big", "hostile/grafana-big", "hostile/pd-big"]) {
      const stored = await row(fingerprint);
      expect(stored.count, fingerprint).toBe(2);
      expect(stored.metricValue, fingerprint).toBeNull();
    }
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });
});
