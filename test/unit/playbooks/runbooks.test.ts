import { describe, expect, it } from "vitest";
import { CONTACT_ROLES, contactRoleNames, isContactRole } from "../../../src/playbooks/escalation.js";
import { getRunbook, runbooks, selectRunbooks } from "../../../src/playbooks/runbooks.js";

const ids = (q: Parameters<typeof selectRunbooks>[0]) => selectRunbooks(q).map((r) => r.id);

describe("runbooks", () => {
  it("encodes the three troubleshooting guides, drift split by one or several features", () => {
    expect(runbooks.map((r) => r.id)).toEqual(["scores-not-helping", "api-latency-spike", "feature-drift", "multi-feature-drift"]);
    expect(getRunbook("scores-not-helping")!.items.map((i) => i.timebox)).toEqual([
      "5 min",
      "10 min",
      "30 min",
      "30 min",
      "20 min",
      "15 min",
    ]);
    expect(getRunbook("multi-feature-drift")!.items).toHaveLength(5);
    expect(getRunbook("api-latency-spike")!.items.find((i) => i.key === "possible-causes")!.detail).toHaveLength(4);
    for (const item of runbooks.flatMap((r) => r.items)) expect(item.text.length).toBeLessThanOrEqual(150);
  });

  it("selects by metric name first", () => {
    expect(ids({ metricName: "latency_p99" })).toEqual(["api-latency-spike"]);
    expect(ids({ metricName: "psi", category: "infrastructure" })).toEqual(["feature-drift"]);
    expect(ids({ metricName: "KS" })).toEqual(["feature-drift"]);
    expect(ids({ metricName: "auc" })).toEqual(["scores-not-helping"]);
  });

  it("selects by alert title phrases", () => {
    expect(ids({ alertTitle: "Data drift detected in 4 features" })).toEqual(["multi-feature-drift"]);
    expect(ids({ alertTitle: "Sales says scores are not helping" })).toEqual(["scores-not-helping"]);
    expect(ids({ alertTitle: "p99 latency 900ms on lead-scoring-api" })).toEqual(["api-latency-spike"]);
  });

  it("falls back to the failure class only when nothing specific matched", () => {
    expect(ids({ category: "infrastructure", alertTitle: "Service down" })).toEqual(["api-latency-spike"]);
    expect(ids({ category: "model" })).toEqual(["scores-not-helping", "feature-drift"]);
    expect(ids({ category: "model", driftingFeatures: 3 })).toEqual(["scores-not-helping", "multi-feature-drift"]);
    expect(ids({ category: "model", metricName: "latency_p99" })).toEqual(["api-latency-spike"]);
    expect(ids({ category: null, metricName: "queue_depth", alertTitle: "Queue backlog" })).toEqual([]);
  });
});

describe("drift runbooks by the number of drifting features", () => {
  it("one feature gets the one-feature runbook, never the one titled multiple features", () => {
    expect(ids({ metricName: "psi", alertTitle: "PSI 0.31 on feature lead_source", driftingFeatures: 1 })).toEqual(["feature-drift"]);
    expect(ids({ metricName: "psi", alertTitle: "PSI 0.31 on feature lead_source" })).toEqual(["feature-drift"]);
    expect(getRunbook("feature-drift")!.title).toBe("Data drift in one feature");
  });

  it("several features, counted from the alerts or read from the title, get the multiple-features runbook", () => {
    expect(ids({ metricName: "psi", driftingFeatures: 2 })).toEqual(["multi-feature-drift"]);
    expect(ids({ alertTitle: "Data drift detected in 4 features" })).toEqual(["multi-feature-drift"]);
    expect(ids({ alertTitle: "Drift in multiple features of lead-scoring" })).toEqual(["multi-feature-drift"]);
    expect(ids({ alertTitle: "Data drift detected in 1 features" })).toEqual(["feature-drift"]);
    // A count from the alerts wins over the title.
    expect(ids({ alertTitle: "Data drift detected in 4 features", driftingFeatures: 1 })).toEqual(["feature-drift"]);
  });
});

describe("contacts", () => {
  it("has the five contact roles with display names", () => {
    expect([...CONTACT_ROLES]).toEqual(["ml-lead", "mlops-engineer", "data-engineer", "sales-lead", "product-manager"]);
    expect(contactRoleNames["mlops-engineer"]).toBe("MLOps Engineer");
    expect(isContactRole("ml-lead")).toBe(true);
    expect(isContactRole("ceo")).toBe(false);
  });
});
