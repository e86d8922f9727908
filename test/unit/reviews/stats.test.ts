import { describe, expect, it } from "vitest";
import { statsBlocks, statsText } from "../../../blocks/stats.js";
import { computeStats, parseStatsWindow, type StatsIncidentRow } from "../../../src/incidents/compute-stats.js";
import { isAppError } from "../../../src/errors.js";

const now = new Date("2026-11-30T12:00:00Z");
const t = (iso: string) => new Date(iso);
const row = (id: number, p: Partial<StatsIncidentRow> & { detectedAt: Date }): StatsIncidentRow => ({
  id,
  severity: "P2",
  category: null,
  declaredAt: p.detectedAt,
  acknowledgedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  ...p,
});

const incidents = [
  // ack 4 min, mitigate 10 min, resolve 60 min
  row(1, {
    severity: "P1",
    category: "model",
    detectedAt: t("2026-11-29T10:00:00Z"),
    acknowledgedAt: t("2026-11-29T10:04:00Z"),
    mitigatedAt: t("2026-11-29T10:10:00Z"),
    resolvedAt: t("2026-11-29T11:00:00Z"),
  }),
  // ack 10 min, mitigate 30 min, resolve 120 min
  row(2, {
    category: "data",
    detectedAt: t("2026-11-20T10:00:00Z"),
    acknowledgedAt: t("2026-11-20T10:10:00Z"),
    mitigatedAt: t("2026-11-20T10:30:00Z"),
    resolvedAt: t("2026-11-20T12:00:00Z"),
  }),
  // still open, ack 6 min
  row(3, { category: "data", detectedAt: t("2026-11-28T09:00:00Z"), acknowledgedAt: t("2026-11-28T09:06:00Z") }),
  // 40 days old: outside 30d, inside 90d
  row(4, {
    severity: "P3",
    detectedAt: t("2026-10-21T09:00:00Z"),
    acknowledgedAt: t("2026-10-21T09:01:00Z"),
    resolvedAt: t("2026-10-21T09:31:00Z"),
  }),
];
const clocks = [
  { incidentId: 2, kind: "mitigate", breached: true, nudgedAt: t("2026-11-20T10:15:00Z") },
  { incidentId: 2, kind: "ack", breached: false, nudgedAt: t("2026-11-20T10:05:00Z") },
  { incidentId: 3, kind: "product_update", breached: true, nudgedAt: null },
  { incidentId: 4, kind: "ack", breached: true, nudgedAt: null },
];

describe("incident stats", () => {
  it("computes MTTA, MTTR, time to mitigate, counts and breaches over 30 days", () => {
    const s = computeStats("30d", now, incidents, clocks);
    expect(s.total).toBe(3);
    expect(s.open).toBe(1);
    expect(s.mtta).toEqual({ n: 3, meanSeconds: ((4 + 10 + 6) / 3) * 60, medianSeconds: 6 * 60 });
    expect(s.mttr).toEqual({ n: 2, meanSeconds: 90 * 60, medianSeconds: 90 * 60 });
    expect(s.timeToMitigate).toEqual({ n: 2, meanSeconds: 20 * 60, medianSeconds: 20 * 60 });
    expect(s.bySeverity).toEqual({ P1: 1, P2: 2 });
    expect(s.byCategory).toEqual({ model: 1, data: 2 });
    expect(s.breachesByClock).toEqual({ mitigate: 1, ack: 1, product_update: 1 });
  });

  it("widens with the window and is empty-safe", () => {
    expect(computeStats("90d", now, incidents, clocks).total).toBe(4);
    expect(computeStats("90d", now, incidents, clocks).breachesByClock).toEqual({ mitigate: 1, ack: 2, product_update: 1 });
    const seven = computeStats("7d", now, incidents, clocks);
    expect(seven.total).toBe(2);
    const empty = computeStats("7d", now, [], []);
    expect(empty.mtta).toEqual({ n: 0, meanSeconds: null, medianSeconds: null });
    expect(statsText(empty)).toContain("MTTA —");
  });

  it("parses the window and refuses anything else with the usage", () => {
    expect(parseStatsWindow("")).toBe("30d");
    expect(parseStatsWindow(" 7D ")).toBe("7d");
    expect(parseStatsWindow("90d")).toBe("90d");
    try {
      parseStatsWindow("2w");
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code === "usage" && e.usage?.includes("7d|30d|90d")).toBe(true);
    }
  });

  it("renders blocks within Slack limits", () => {
    const blocks = statsBlocks(computeStats("30d", now, incidents, clocks));
    expect(blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(blocks);
    expect(json).toContain("MTTA");
    expect(json).toContain("6m 40s (median 6m 00s, n=3)");
    expect(json).toContain("ack: 1 · mitigate: 1 · product_update: 1");
  });
});
