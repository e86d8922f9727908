import { describe, expect, it } from "vitest";
import {
  DEFAULT_THRESHOLD_CONFIG,
  ThresholdConfigSchema,
  categoryForMetric,
  judgeSeverity,
  resolveProfile,
} from "../../../src/alerts/thresholds.js";

type Case = {
  name: string;
  warning: number;
  critical: number;
  /** builds the metric whose compared quantity is `x` */
  at: (x: number) => { value: number; baseline?: number; std?: number };
  below?: boolean;
};

const id = (x: number) => ({ value: x });
const CASES: Case[] = [
  { name: "psi", warning: 0.1, critical: 0.25, at: id },
  { name: "ks", warning: 0.05, critical: 0.1, at: id },
  { name: "js", warning: 0.05, critical: 0.1, at: id },
  { name: "null_rate", warning: 2, critical: 5, at: (x) => ({ value: x * 0.01, baseline: 0.01 }) },
  { name: "new_category_share", warning: 0, critical: 0.05, at: id },
  { name: "primary_metric", warning: 0.05, critical: 0.1, at: (x) => ({ value: 0.9 * (1 - x), baseline: 0.9 }) },
  {
    name: "prediction_mean",
    warning: 2,
    critical: 3,
    at: (x) => ({ value: 0.4 + x * 0.05, baseline: 0.4, std: 0.05 }),
  },
  { name: "prediction_variance", warning: 0.5, critical: 1, at: (x) => ({ value: 0.02 * (1 + x), baseline: 0.02 }) },
  { name: "brier", warning: 0.02, critical: 0.05, at: (x) => ({ value: 0.11 + x, baseline: 0.11 }) },
  { name: "latency_p99", warning: 2, critical: 5, at: (x) => ({ value: x * 120, baseline: 120 }) },
  { name: "latency_p50", warning: 1.5, critical: 3, at: (x) => ({ value: x * 35, baseline: 35 }) },
  { name: "error_rate", warning: 0.01, critical: 0.05, at: id },
  { name: "memory_utilization", warning: 0.8, critical: 0.95, at: id },
  { name: "cpu_utilization", warning: 0.7, critical: 0.9, at: id },
  { name: "queue_depth", warning: 100, critical: 1000, at: id },
];

const STEP = 1e-6;
const level = (name: string, m: { value: number; baseline?: number; std?: number }, profile?: string) =>
  judgeSeverity({ name, ...m }, { profile })?.level;

describe("seed thresholds: strict > at every boundary", () => {
  for (const c of CASES) {
    const step = Math.max(STEP, c.warning * STEP);
    it(`${c.name}: warning boundary ${c.warning}`, () => {
      if (c.warning > 0) expect(level(c.name, c.at(c.warning - step))).toBe("ok");
      expect(level(c.name, c.at(c.warning))).toBe("ok");
      expect(level(c.name, c.at(c.warning + step))).toBe("warning");
    });
    it(`${c.name}: critical boundary ${c.critical}`, () => {
      const s = Math.max(STEP, c.critical * STEP);
      expect(level(c.name, c.at(c.critical - s))).toBe("warning");
      expect(level(c.name, c.at(c.critical))).toBe("warning");
      expect(level(c.name, c.at(c.critical + s))).toBe("critical");
    });
  }

  it("reports the reason, P-level and category", () => {
    expect(judgeSeverity({ name: "psi", value: 0.31 })).toEqual({
      level: "critical",
      severity: "P1",
      category: "data",
      reason: "PSI 0.31 > 0.25 (critical)",
    });
    expect(judgeSeverity({ name: "ks", value: 0.07 })).toMatchObject({ severity: "P3", category: "data" });
    expect(judgeSeverity({ name: "brier", value: 0.2, baseline: 0.1 })?.category).toBe("model");
    expect(judgeSeverity({ name: "queue_depth", value: 5 })).toMatchObject({ level: "ok", severity: null });
  });

  it("is not judgeable without the numbers a comparison needs", () => {
    expect(judgeSeverity({ name: "null_rate", value: 0.3 })).toBeNull();
    expect(judgeSeverity({ name: "null_rate", value: 0.3, baseline: 0 })).toBeNull();
    expect(judgeSeverity({ name: "prediction_mean", value: 1, baseline: 0.5 })).toBeNull();
    expect(judgeSeverity({ name: "latency_p99", value: 900 })).toBeNull();
    expect(judgeSeverity({ name: "throughput", value: 3 })).toBeNull();
    expect(judgeSeverity({ name: "auc", value: 0.5 })).toBeNull();
  });

  it("tolerates metric-name spelling", () => {
    expect(level("PSI", { value: 0.3 })).toBe("critical");
    expect(level("error-rate", { value: 0.02 })).toBe("warning");
  });

  it("categories", () => {
    expect(categoryForMetric("version_mismatch")).toBe("integration");
    expect(categoryForMetric("model_version")).toBe("integration");
    expect(categoryForMetric("cpu_utilization")).toBe("infrastructure");
    expect(categoryForMetric("auc", "lead-scoring")).toBe("model");
    expect(categoryForMetric("unknown")).toBeNull();
  });
});

describe("lead-scoring profile", () => {
  const ls = (name: string, value: number) => level(name, { value }, "lead-scoring");

  it("AUC below 0.85 is a warning (the seed's yellow zone), never critical alone", () => {
    expect(ls("auc", 0.86)).toBe("ok");
    expect(ls("auc", 0.85)).toBe("ok");
    expect(ls("auc", 0.8499)).toBe("warning");
    expect(ls("auc", 0.84)).toBe("warning");
    expect(ls("auc", 0.5)).toBe("warning");
  });

  it("KS above 0.15", () => {
    expect(ls("ks", 0.15)).toBe("ok");
    expect(ls("ks", 0.12)).toBe("ok");
    expect(ls("ks", 0.1501)).toBe("warning");
  });

  it("p99 latency in absolute ms: > 200 warning, > 500 critical", () => {
    expect(ls("latency_p99", 200)).toBe("ok");
    expect(ls("latency_p99", 200.01)).toBe("warning");
    expect(ls("latency_p99", 500)).toBe("warning");
    expect(ls("latency_p99", 500.01)).toBe("critical");
  });

  it("error rate > 0.5% warning, > 5% critical", () => {
    expect(ls("error_rate", 0.005)).toBe("ok");
    expect(ls("error_rate", 0.0051)).toBe("warning");
    expect(ls("error_rate", 0.05)).toBe("warning");
    expect(ls("error_rate", 0.0501)).toBe("critical");
  });

  it("coverage below 95%", () => {
    expect(ls("coverage", 0.95)).toBe("ok");
    expect(ls("coverage", 0.9499)).toBe("warning");
  });

  it("keeps the seed guide for metrics it does not name", () => {
    expect(ls("psi", 0.3)).toBe("critical");
  });
});

describe("configuration", () => {
  it("the lead-scoring model uses its profile by default", () => {
    expect(resolveProfile({ model: "lead-scoring" })).toEqual({ profile: "lead-scoring", overrides: {} });
    expect(resolveProfile({ model: "churn" }).profile).toBe("default");
  });

  it("overrides per service and per model (model wins) change the limits", () => {
    const config = ThresholdConfigSchema.parse({
      profiles: { churn: "lead-scoring" },
      overrides: {
        services: { "churn-api": { psi: { warning: 0.2, critical: 0.4 } } },
        models: { churn: { psi: { critical: 0.3 } } },
      },
    });
    const resolved = resolveProfile({ model: "churn", service: "churn-api" }, config);
    expect(resolved).toEqual({ profile: "lead-scoring", overrides: { psi: { warning: 0.2, critical: 0.3 } } });
    const judge = (value: number) => judgeSeverity({ name: "psi", value }, resolved)?.level;
    expect(judge(0.15)).toBe("ok");
    expect(judge(0.25)).toBe("warning");
    expect(judge(0.31)).toBe("critical");
  });

  it("rejects unknown profiles and unknown keys", () => {
    expect(ThresholdConfigSchema.safeParse({ profiles: { m: "nope" } }).success).toBe(false);
    expect(ThresholdConfigSchema.safeParse({ overides: {} }).success).toBe(false);
    expect(ThresholdConfigSchema.parse({})).toEqual({ profiles: {}, overrides: { models: {}, services: {} } });
    expect(DEFAULT_THRESHOLD_CONFIG.profiles["lead-scoring"]).toBe("lead-scoring");
  });
});
