import { describe, expect, it } from "vitest";
import { toIssues } from "../../../src/alerts/issues.js";
import { normalizeAlertmanager, normalizeGeneric, normalizeGrafana, normalizePagerDuty } from "../../../src/alerts/normalize.js";
import { AlertmanagerPayloadSchema } from "../../../src/alerts/schemas/alertmanager.js";
import { parseTimestamp } from "../../../src/alerts/schemas/common.js";
import { GenericAlertSchema, GenericPayloadSchema } from "../../../src/alerts/schemas/generic.js";
import { GrafanaPayloadSchema } from "../../../src/alerts/schemas/grafana.js";
import { PagerDutyEventSchema } from "../../../src/alerts/schemas/pagerduty.js";
import { fixture } from "./fixtures.js";

describe("timestamps", () => {
  it.each([
    ["2026-11-23T09:10:00Z", "2026-11-23T09:10:00.000Z"],
    ["2026-11-23T09:10:00.123456789Z", "2026-11-23T09:10:00.123Z"],
    ["2021-10-12T09:51:03.157076+02:00", "2021-10-12T07:51:03.157Z"],
    ["2015-07-17T08:42:58.315+0000", "2015-07-17T08:42:58.315Z"],
    ["2015-07-17T08:42:58-0130", "2015-07-17T10:12:58.000Z"],
  ])("parses %s", (text, iso) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(iso);
  });

  it("treats Go's zero time as no time", () => {
    expect(parseTimestamp("0001-01-01T00:00:00Z")).toBeNull();
  });

  it("takes the last millisecond of year 9999 in UTC, nothing later (the database has no later ISO form)", () => {
    expect(parseTimestamp("9999-12-31T23:59:59.999Z")?.toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(parseTimestamp("9999-12-31T23:59:59-23:59")).toBeUndefined();
    expect(parseTimestamp("9999-12-31T23:59:59.999-00:01")).toBeUndefined();
    expect(parseTimestamp("0002-01-01T00:00:00+23:59")?.toISOString()).toBe("0001-12-31T00:01:00.000Z");
    expect(parseTimestamp("0099-06-01T12:00:00Z")?.toISOString()).toBe("0099-06-01T12:00:00.000Z"); // not 1999
  });

  it.each(["yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23", "1416-11-23T25:00:00Z"])("rejects %s", (text) =>
    expect(parseTimestamp(text)).toBeUndefined(),
  );
});

describe("sender schemas accept the fixtures", () => {
  it("Alertmanager grouped and resolved", () => {
    expect(AlertmanagerPayloadSchema.safeParse(fixture("alertmanager-grouped.json")).success).toBe(true);
    const resolved = AlertmanagerPayloadSchema.parse(fixture("alertmanager-resolved.json"));
    expect(resolved.alerts.every((a) => a.status === "resolved" && a.endsAt instanceof Date)).toBe(true);
  });

  it("Alertmanager: only `alerts` is required, unknown fields are ignored", () => {
    expect(AlertmanagerPayloadSchema.safeParse({ alerts: [{}], somethingNew: 1 }).success).toBe(true);
    const missing = normalizeAlertmanager({ version: "4" });
    expect(missing).toMatchObject({ ok: false, issues: [{ path: "alerts" }] });
  });

  it("Grafana with null values map and null single values", () => {
    const parsed = GrafanaPayloadSchema.parse(fixture("grafana-firing.json"));
    expect(parsed.alerts[0].values).toEqual({ A: 0.062, B: null, C: 1 });
    expect(parsed.alerts[1].values).toBeNull();
    expect(parsed.alerts[0].startsAt?.toISOString()).toBe("2021-10-12T07:51:03.157Z");
    expect(parsed.alerts[0].endsAt).toBeNull();
  });

  it("PagerDuty trio", () => {
    for (const name of ["pagerduty-trigger.json", "pagerduty-acknowledge.json", "pagerduty-resolve.json"]) {
      expect(PagerDutyEventSchema.safeParse(fixture(name)).success).toBe(true);
    }
  });

  it("PagerDuty trigger requires summary, source and severity; ack/resolve require dedup_key", () => {
    const result = normalizePagerDuty({ routing_key: "k", event_action: "trigger", payload: { summary: "x" } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path).sort()).toEqual(["payload.severity", "payload.source"]);
    const ack = normalizePagerDuty({ routing_key: "k", event_action: "acknowledge" });
    expect(ack).toMatchObject({ ok: false, issues: [{ path: "dedup_key" }] });
    expect(normalizePagerDuty({ event_action: "trigger" }).ok).toBe(false);
  });

  it("generic single, batch and the schema union", () => {
    expect(GenericAlertSchema.safeParse(fixture("generic-single.json")).success).toBe(true);
    expect(GenericPayloadSchema.safeParse(fixture("generic-unicode.json")).success).toBe(true);
    expect(GenericAlertSchema.parse({ source: "s", title: "t" }).status).toBe("firing");
    expect(GenericAlertSchema.safeParse({ source: "s", title: "t", severity: "P2" }).success).toBe(true);
    expect(GenericAlertSchema.safeParse({ source: "s", title: "t", severity: "high" }).success).toBe(false);
  });
});

describe("two-level validation", () => {
  it("keeps valid alerts of a batch and rejects the bad one with a dotted path", () => {
    const result = normalizeGeneric(fixture("generic-batch.json"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.received).toBe(3);
    expect(result.alerts.map((a) => a.sourceName)).toEqual(["latency-probe", "nightly-eval"]);
    expect(result.rejected).toEqual([{ index: 1, issues: [{ path: "alerts.1.labels", message: expect.stringContaining("record") }] }]);
  });

  it("rejects a bad timestamp of one Alertmanager alert only", () => {
    const payload = fixture("alertmanager-grouped.json");
    payload.alerts[2].startsAt = "not a time";
    const result = normalizeAlertmanager(payload);
    expect(result).toMatchObject({
      ok: true,
      received: 3,
      rejected: [{ index: 2, issues: [{ path: "alerts.2.startsAt" }] }],
    });
  });

  it.each([
    ["not an object", "nope", ""],
    ["alerts not an array", { alerts: { 0: {} } }, "alerts"],
    ["too many alerts", { alerts: Array.from({ length: 1001 }, () => ({ source: "s", title: "t" })) }, "alerts"],
  ])("fails the whole generic request when %s", (_label, payload, path) => {
    const result = normalizeGeneric(payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].path).toBe(path);
  });

  it("accepts exactly 1000 generic alerts", () => {
    const result = normalizeGeneric({
      alerts: Array.from({ length: 1000 }, (_, i) => ({ source: "s", title: `t${i}` })),
    });
    expect(result).toMatchObject({ ok: true, received: 1000, rejected: [] });
  });

  it("an invalid Grafana envelope is a 400-level failure", () => {
    expect(normalizeGrafana({ alerts: [], version: 1 })).toMatchObject({ ok: false, issues: [{ path: "version" }] });
  });

  it("toIssues joins nested paths with dots", () => {
    expect(toIssues([{ path: ["labels", "team"], message: "m" }], ["alerts", 0])).toEqual([{ path: "alerts.0.labels.team", message: "m" }]);
  });
});
