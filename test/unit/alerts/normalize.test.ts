import { describe, expect, it } from "vitest";
import { labelFingerprint } from "../../../src/alerts/fingerprint.js";
import {
  type NormalizeResult,
  type NormalizedAlert,
  normalizeAlertmanager,
  normalizeGeneric,
  normalizeGrafana,
  normalizePagerDuty,
} from "../../../src/alerts/normalize.js";
import { fixture } from "./fixtures.js";

function alertsOf(result: NormalizeResult): NormalizedAlert[] {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.alerts;
}

function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    ) as T;
  }
  return value;
}

describe("Alertmanager", () => {
  const alerts = alertsOf(normalizeAlertmanager(fixture("alertmanager-grouped.json")));

  it("maps the grouped batch", () => {
    expect(alerts.map((a) => a.status)).toEqual(["firing", "firing", "resolved"]);
    const [first] = alerts;
    expect(first).toMatchObject({
      source: "alertmanager",
      sourceName: "ml-platform.webhook",
      groupKey: '{}/{team="ml-platform"}:{alertname="FeatureDrift", model="lead-scoring"}',
      title: "PSI 0.31 on feature lead_source",
      model: "lead-scoring",
      service: "lead-scoring-api",
      feature: "lead_source",
      metric: { name: "psi", value: 0.31 },
      severity: "P1",
      severitySource: "explicit",
      category: "data",
      endsAt: null,
    });
    expect(first.links[0]).toMatchObject({ text: "source" });
    expect(first.description).toContain("Population stability");
    expect(alerts[2].endsAt?.toISOString()).toBe("2026-11-23T09:05:00.500Z");
  });

  it("fingerprints are Alertmanager's label hash, not what the payload claims", () => {
    expect(alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(alerts[0].fingerprint).toBe(labelFingerprint(alerts[0].labels));
    expect(alerts[0].fingerprint).not.toBe(alerts[1].fingerprint);
    expect(labelFingerprint({})).toBe("cbf29ce484222325");
  });

  it("the same alert resolved keeps its fingerprint and group key", () => {
    const resolved = alertsOf(normalizeAlertmanager(fixture("alertmanager-resolved.json")));
    expect(resolved.map((a) => a.fingerprint)).toEqual(alerts.slice(0, 2).map((a) => a.fingerprint));
    expect(resolved.every((a) => a.status === "resolved" && a.groupKey === alerts[0].groupKey)).toBe(true);
  });

  it("keys are stable across key order and re-sends", () => {
    const again = alertsOf(normalizeAlertmanager(reverseKeys(fixture("alertmanager-grouped.json"))));
    expect(again.map((a) => a.fingerprint)).toEqual(alerts.map((a) => a.fingerprint));
  });

  it("reads an ML metric from labels with a baseline", () => {
    const [a] = alertsOf(
      normalizeAlertmanager({
        alerts: [
          {
            labels: { alertname: "NullRate", metric: "null_rate", model: "churn" },
            annotations: { value: "0.12", baseline: "0.02" },
          },
        ],
      }),
    );
    expect(a).toMatchObject({
      metric: { name: "null_rate", value: 0.12, baseline: 0.02 },
      severity: "P1",
      severitySource: "metric",
    });
    expect(a.severityReason).toContain("critical");
  });
});

describe("Grafana", () => {
  const [first, second] = alertsOf(normalizeGrafana(fixture("grafana-firing.json")));

  it("maps links, metric from values and the fingerprint", () => {
    expect(first).toMatchObject({
      source: "grafana",
      sourceName: "[ML] lead scoring",
      fingerprint: "fac0861a85de433a",
      service: "lead-scoring-api",
      metric: { name: "error_rate", value: 0.062 },
      severity: "P1",
      category: "infrastructure",
    });
    expect(first.links.map((l) => l.text)).toEqual(["source", "dashboard", "silence"]);
    expect(first.groupKey).toContain("__grafana_receiver__");
  });

  it("no metric when values are null or no metric is named", () => {
    expect(second).toMatchObject({
      metric: null,
      severity: "P3",
      severitySource: "default",
      title: "DatasourceNoData",
    });
  });
});

describe("PagerDuty", () => {
  const [trigger] = alertsOf(normalizePagerDuty(fixture("pagerduty-trigger.json")));
  const [ack] = alertsOf(normalizePagerDuty(fixture("pagerduty-acknowledge.json")));
  const [resolve] = alertsOf(normalizePagerDuty(fixture("pagerduty-resolve.json")));

  it("the trio shares the dedup key", () => {
    expect(new Set([trigger.fingerprint, ack.fingerprint, resolve.fingerprint])).toEqual(new Set(["lead-scoring-api/http-5xx"]));
    expect(trigger.groupKey).toBe("lead-scoring-api/http-5xx");
    expect([trigger.action, ack.action, resolve.action]).toEqual(["trigger", "acknowledge", "resolve"]);
    expect([trigger.status, ack.status, resolve.status]).toEqual(["firing", "firing", "resolved"]);
  });

  it("maps the trigger", () => {
    expect(trigger).toMatchObject({
      title: "Lead scoring API 5xx rate 6%",
      severity: "P1",
      severitySource: "explicit",
      service: "lead-scoring-api",
      sourceName: "lead-scoring-api-1.example.com",
      metric: { name: "error_rate", value: 0.06 },
    });
    expect(trigger.startsAt?.toISOString()).toBe("2026-11-23T08:42:58.315Z");
    expect(trigger.links.map((l) => l.text)).toEqual(["Dashboard", "Monitoring"]);
  });

  it("derives a stable key without dedup_key, independent of routing_key", () => {
    const event = fixture("pagerduty-trigger.json");
    delete event.dedup_key;
    const [a] = alertsOf(normalizePagerDuty(event));
    const [b] = alertsOf(normalizePagerDuty(reverseKeys({ ...event, routing_key: "another" })));
    expect(a.fingerprint).toMatch(/^pd-[0-9a-f]{64}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    const [c] = alertsOf(normalizePagerDuty({ ...event, payload: { ...event.payload, summary: "other" } }));
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe("generic", () => {
  it("maps the contract example", () => {
    const [a] = alertsOf(normalizeGeneric(fixture("generic-single.json")));
    expect(a).toMatchObject({
      source: "generic",
      sourceName: "drift-monitor",
      fingerprint: "lead-scoring/psi/lead_source",
      groupKey: null,
      severity: "P1",
      severitySource: "metric",
      severityReason: "PSI 0.31 > 0.25 (critical)",
      category: "data",
      links: [{ text: "dashboard", url: "https://grafana.example.com/d/drift" }],
    });
  });

  it("derives the dedupe key from source, title, model, service, feature and labels only", () => {
    const base = { source: "s", title: "t", model: "m", labels: { a: "1", b: "2" } };
    const key = (p: object) => alertsOf(normalizeGeneric(p))[0].fingerprint;
    const k = key(base);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(key({ ...base, labels: { b: "2", a: "1" } })).toBe(k);
    expect(key(reverseKeys({ ...base, description: "changes nothing", metric: { name: "psi", value: 1 } }))).toBe(k);
    for (const change of [{ title: "u" }, { source: "x" }, { model: "n" }, { service: "s" }, { feature: "f" }, { labels: {} }]) {
      expect(key({ ...base, ...change })).not.toBe(k);
    }
  });

  it("cuts long titles to 200 characters with an ellipsis and keeps unicode", () => {
    const [long] = alertsOf(normalizeGeneric(fixture("generic-long.json")));
    expect(Array.from(long.title)).toHaveLength(200);
    expect(long.title.endsWith("…")).toBe(true);
    expect(long.description).toHaveLength(10_000);
    const [u] = alertsOf(normalizeGeneric(fixture("generic-unicode.json")));
    expect(u.labels["équipe"]).toBe("données-ml 🚨");
    expect(u.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it("caps a long fingerprint at 255 characters, stably", () => {
    const [a] = alertsOf(normalizeGeneric({ source: "s", title: "t", fingerprint: "f".repeat(300) }));
    expect(a.fingerprint.length).toBeLessThanOrEqual(255);
    expect(a.fingerprint).toMatch(/^sha256:/);
  });

  it("explicit severity beats the metric; labels fill service/model", () => {
    const [a] = alertsOf(
      normalizeGeneric({
        source: "s",
        title: "t",
        severity: "info",
        metric: { name: "psi", value: 0.9 },
        labels: { job: "api", model_name: "m" },
      }),
    );
    expect(a).toMatchObject({
      severity: "P4",
      severitySource: "explicit",
      service: "api",
      model: "m",
      category: "data",
    });
  });

  it("drops non-http links rather than rejecting the alert", () => {
    const [a] = alertsOf(normalizeGeneric({ source: "s", title: "t", links: [{ url: "javascript:alert(1)" }, { url: "https://x" }] }));
    expect(a.links).toEqual([{ text: "link", url: "https://x" }]);
  });
});
