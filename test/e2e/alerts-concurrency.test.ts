import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, fixture, postAlert } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";
import { normalizeGeneric } from "../../src/alerts/normalize.js";
import { storeAlert } from "../../src/alerts/store-alert.js";

const kinds = await dbKinds();
const ROUTES = ["alertmanager", "grafana", "pagerduty", "generic"] as const;

describe.each(kinds)("alert ingestion under concurrency and failure (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, ALERT_DIGEST_SECONDS: "1" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("20 parallel requests with the same fingerprint open exactly one incident", async () => {
    const alert = { source: "race", title: "Error rate 9%", fingerprint: "race/one", severity: "critical", service: "api" };
    const results = await Promise.all(Array.from({ length: 20 }, () => postAlert(h.appUrl, "generic", alert)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(await h.db.prisma.incident.count({ where: { declaredBy: "alert:generic", title: "Error rate 9%" } })).toBe(1);
    const row = await h.db.prisma.alert.findFirstOrThrow({ where: { fingerprint: "race/one" } });
    expect(row.count).toBe(20);
    expect(await h.db.prisma.alert.count({ where: { fingerprint: "race/one" } })).toBe(1);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: row.incidentId!, kind: "alert.received" } })).toBe(1);
  });

  it("a critical alert stored before the process stopped, without its incident, opens it when it is sent again", async () => {
    const alert = {
      source: "crash",
      title: "Stored, then the process died",
      fingerprint: "crash/one",
      severity: "critical",
      service: "api",
    };
    const normalized = normalizeGeneric(alert);
    if (!normalized.ok) throw new Error(normalized.error);
    // What the first delivery left behind: the row, and nothing acted on it.
    const first = await storeAlert(h.db.prisma, normalized.alerts[0]!, new Date());
    expect(first).toMatchObject({ outcome: "fired", incidentId: null });
    const again = await postAlert(h.appUrl, "generic", alert);
    expect(again.status).toBe(202);
    expect(again.json.incidents).toHaveLength(1);
    const row = await h.db.prisma.alert.findFirstOrThrow({ where: { fingerprint: "crash/one" } });
    expect(row.count).toBe(2);
    expect(row.incidentId).not.toBeNull();
    // From then on a re-send is only counted.
    const third = await postAlert(h.appUrl, "generic", alert);
    expect(third.json.incidents).toEqual([]);
    expect(await h.db.prisma.incident.count({ where: { title: alert.title } })).toBe(1);
  });

  it("two app instances on one database open one incident for one group", async () => {
    const first = h.app;
    const second = await h.restart(); // a second app on the same database and fake, another port
    try {
      const urls = [`http://127.0.0.1:${first.port}`, `http://127.0.0.1:${second.port}`];
      const group = (i: number) => ({
        ...fixture("alertmanager-grouped"),
        groupKey: "two-instances",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "Two", severity: "critical", n: String(i) },
            annotations: {},
            startsAt: "2026-11-23T09:10:00Z",
          },
        ],
      });
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => postAlert(urls[i % 2]!, "alertmanager", group(i % 4))));
      expect(results.every((r) => r.status === 202)).toBe(true);
      const ids = new Set(results.flatMap((r) => r.json.incidents));
      expect(ids.size).toBe(1);
      expect(await h.db.prisma.incident.count({ where: { title: "Two" } })).toBe(1);
      expect(await h.db.prisma.alert.count({ where: { groupKey: "two-instances" } })).toBe(4);
    } finally {
      await first.stop();
    }
  });

  it("fuzz: random and mutated payloads on every route never get a 5xx and the app stays healthy", async () => {
    const seeds = [
      fixture("alertmanager-grouped"),
      fixture("grafana-firing"),
      fixture("pagerduty-trigger"),
      fixture("generic-single"),
      fixture("generic-batch"),
    ];
    const mutate = (value: any, path: string[], replacement: unknown): any => {
      if (path.length === 0 || value === null || typeof value !== "object") return replacement;
      const [head, ...rest] = path;
      const copy: any = Array.isArray(value) ? [...value] : { ...value };
      copy[head!] = mutate(copy[head!], rest, replacement);
      return copy;
    };
    const payload = fc.oneof(
      fc.jsonValue(),
      fc
        .tuple(
          fc.constantFrom(...seeds),
          fc.array(
            fc.constantFrom(
              "alerts",
              "0",
              "labels",
              "status",
              "startsAt",
              "metric",
              "value",
              "payload",
              "severity",
              "title",
              "source",
              "event_action",
            ),
            { maxLength: 4 },
          ),
          fc.jsonValue(),
        )
        .map(([seed, path, v]) => mutate(seed, path, v)),
      fc.string().map((s) => ({ raw: s })),
    );
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), payload, fc.boolean(), async (route, body, rawText) => {
        requests++;
        const res = await postAlert(h.appUrl, route, rawText ? JSON.stringify(body).slice(0, -1) : body);
        expect(res.status, `${route} ${JSON.stringify(body).slice(0, 300)} → ${res.text}`).toBeLessThan(500);
      }),
      { numRuns: 200, seed: 42 },
    );
    expect(requests).toBe(200);
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });
});

describe.each(kinds)("database down (%s)", (kind) => {
  it("answers 503 so senders retry", async () => {
    const h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
    try {
      await h.db.prisma.$disconnect();
      if (h.db.pglite) await h.db.pglite.close();
      else await h.db.close();
      const res = await postAlert(h.appUrl, "generic", { source: "x", title: "db is down", severity: "critical" });
      expect(res.status).toBe(503);
    } finally {
      await h.app.stop().catch(() => {});
      await h.fake.close();
      if (kind === "pg") await h.db.close().catch(() => {});
    }
  }, 30_000);
});
