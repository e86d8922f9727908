import { describe, expect, it } from "vitest";
import { SeverityConfigSchema, decideSeverity, mapExplicitSeverity } from "../../../src/alerts/severity.js";

describe("explicit severity", () => {
  it.each([
    ["critical", "P1"],
    ["error", "P2"],
    ["warning", "P3"],
    ["info", "P4"],
    ["CRITICAL", "P1"],
    [" Warning ", "P3"],
    ["p2", "P2"],
    ["P4", "P4"],
  ])("%s → %s", (word, priority) => expect(mapExplicitSeverity(word)).toBe(priority));

  it("unknown or empty words are not explicit", () => {
    expect(mapExplicitSeverity("page")).toBeNull();
    expect(mapExplicitSeverity("")).toBeNull();
    expect(mapExplicitSeverity(undefined)).toBeNull();
  });

  it("the mapping is configurable", () => {
    const config = SeverityConfigSchema.parse({ mapping: { page: "P1", error: "P1" } });
    expect(mapExplicitSeverity("PAGE", config)).toBe("P1");
    expect(mapExplicitSeverity("error", config)).toBe("P1");
    expect(mapExplicitSeverity("P3", config)).toBe("P3");
  });
});

describe("decideSeverity", () => {
  it("an explicit severity beats the metric", () => {
    const d = decideSeverity({ severity: "info", metric: { name: "psi", value: 0.9 } });
    expect(d).toMatchObject({ severity: "P4", severitySource: "explicit" });
    expect(d.judgement?.level).toBe("critical");
  });

  it("the metric decides when there is no severity", () => {
    expect(decideSeverity({ metric: { name: "psi", value: 0.31 } })).toMatchObject({
      severity: "P1",
      severitySource: "metric",
    });
    expect(decideSeverity({ metric: { name: "psi", value: 0.12 } })).toMatchObject({
      severity: "P3",
      severitySource: "metric",
    });
  });

  it("a metric inside every limit is P4", () => {
    expect(decideSeverity({ metric: { name: "psi", value: 0.01 } })).toMatchObject({
      severity: "P4",
      severitySource: "metric",
    });
  });

  it("no severity and no judgeable metric → P3 (warning)", () => {
    expect(decideSeverity({})).toMatchObject({ severity: "P3", severitySource: "default" });
    expect(decideSeverity({ metric: { name: "null_rate", value: 0.3 } })).toMatchObject({
      severity: "P3",
      severitySource: "default",
    });
    expect(decideSeverity({ severity: "whatever" })).toMatchObject({ severity: "P3", severitySource: "default" });
  });

  it("uses the profile", () => {
    const metric = { name: "error_rate", value: 0.008 };
    expect(decideSeverity({ metric }).severity).toBe("P4");
    expect(decideSeverity({ metric, profile: "lead-scoring" }).severity).toBe("P3");
  });
});
