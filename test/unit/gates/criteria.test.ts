import { describe, expect, it } from "vitest";
import { evaluateCriterion, parseMeasuredValue } from "../../../src/gates/criteria.js";
import type { Criterion } from "../../../src/gates/template-schema.js";

const p99: Criterion = { metric: "latency_p99", name: "p99", op: "<", value: 200, unit: "ms", label: "p99 < 200 ms" };
const errorRate: Criterion = {
  metric: "error_rate",
  name: "error rate",
  op: "<",
  value: 0.1,
  unit: "%",
  label: "error rate < 0.1%",
};
const memory: Criterion = {
  metric: "memory_per_instance",
  name: "memory",
  op: "<",
  value: 2,
  unit: "GB",
  label: "memory < 2 GB",
};
const leads: Criterion = { metric: "leads_per_variant", op: ">=", value: 5000, unit: "count", label: "leads ≥ 5,000" };
const recall: Criterion = { metric: "recall", op: ">=", value: 0.8, unit: "ratio", label: "recall ≥ 0.80" };
const throughput: Criterion = {
  metric: "throughput",
  op: ">",
  value: 1000,
  unit: "req/s",
  label: "throughput > 1000 req/s",
};
const dealSize: Criterion = {
  metric: "deal_size_change",
  op: ">=",
  value: 0,
  unit: "%",
  label: "deal size change ≥ 0%",
};

describe("parseMeasuredValue", () => {
  it.each([
    ["180", p99, 180],
    ["180ms", p99, 180],
    [" 180 ms ", p99, 180],
    ["0.18s", p99, 180],
    ["0.08%", errorRate, 0.08],
    ["0.08", errorRate, 0.08],
    ["1.5GB", memory, 1.5],
    ["1536 MB", memory, 1.5],
    ["1,200", leads, 1200],
    ["12,345.5", leads, 12345.5],
    ["1,200 req/s", throughput, 1200],
    ["1200rps", throughput, 1200],
    ["0.82", recall, 0.82],
    ["82%", recall, 0.82],
    ["-3%", dealSize, -3],
    [".5", recall, 0.5],
  ] as const)("reads %j", (input, criterion, expected) => {
    expect(parseMeasuredValue(input, criterion)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", p99, /no value given/],
    ["fast", p99, /"fast" is not a number/],
    ["180GB", p99, /"180GB" is in GB, but it is measured in ms/],
    ["180 parsecs", p99, /unknown unit "parsecs"/],
    ["1,20", leads, /"1,20" is not a number/],
    ["1e3", leads, /not a number/],
    ["-5", p99, /negative/],
    ["5ms", recall, /is in ms, but it is measured in ratio/],
  ] as const)("refuses %j with a clear error naming the criterion", (input, criterion, message) => {
    const result = parseMeasuredValue(input, criterion);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.error).toContain(criterion.label);
    }
  });
});

describe("evaluateCriterion", () => {
  it("says whether a value meets the threshold, in the criterion's unit", () => {
    expect(evaluateCriterion(p99, 180)).toEqual({ passing: true, text: "p99 180 ms meets < 200 ms" });
    expect(evaluateCriterion(p99, 200)).toEqual({ passing: false, text: "p99 200 ms fails < 200 ms" });
    expect(evaluateCriterion(errorRate, 0.08)).toEqual({ passing: true, text: "error rate 0.08% meets < 0.1%" });
    expect(evaluateCriterion(leads, 4999)).toEqual({ passing: false, text: "leads per variant 4,999 fails ≥ 5,000" });
    expect(evaluateCriterion(leads, 5000).passing).toBe(true);
    expect(evaluateCriterion(throughput, 1000).passing).toBe(false);
    expect(evaluateCriterion(memory, 1.5).text).toBe("memory 1.5 GB meets < 2 GB");
  });

  it("refuses a non-finite value", () => {
    expect(() => evaluateCriterion(p99, Number.NaN)).toThrow(/not finite/);
  });
});
