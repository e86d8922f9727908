import { describe, expect, it } from "vitest";
import { buildPlaybook, FAILURE_CATEGORIES, formatTargetDuration, numberPlaybook, STEP_KEYS } from "../../../src/playbooks/rollback.js";

const texts = (category: Parameters<typeof buildPlaybook>[0], step: string) =>
  buildPlaybook(category)
    .steps.find((s) => s.key === step)!
    .items.map((i) => i.text)
    .join("\n");

describe("buildPlaybook", () => {
  it.each([null, ...FAILURE_CATEGORIES])("%s: five steps in order, ≤ 25 items of ≤ 150 chars, unique keys", (category) => {
    const playbook = buildPlaybook(category);
    expect(playbook.steps.map((s) => s.key)).toEqual([...STEP_KEYS]);
    const items = numberPlaybook(playbook);
    expect(items.length).toBeLessThanOrEqual(25);
    for (const item of items) expect(item.text.length).toBeLessThanOrEqual(150);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
  });

  it("carries the seed's targets", () => {
    const steps = Object.fromEntries(buildPlaybook(null).steps.map((s) => [s.key, s.target]));
    expect(steps.DETECT).toBe("Acknowledge within 5 minutes");
    expect(steps.MITIGATE).toBe("Mitigate within 15 minutes of detection");
    expect(steps.COMMUNICATE).toBe(
      "Product/business within 30 minutes; status page within 1 hour if user-facing; leadership within 24 hours",
    );
  });

  it("follows configured targets", () => {
    const playbook = buildPlaybook("model", { targets: { ackSeconds: 120, mitigateSeconds: 5400 } });
    expect(playbook.steps[0]!.target).toBe("Acknowledge within 2 minutes");
    expect(playbook.steps[2]!.target).toBe("Mitigate within 1 hour 30 minutes of detection");
  });

  it("always assesses classification and user impact, communicates and resolves the same way", () => {
    for (const category of [null, ...FAILURE_CATEGORIES]) {
      expect(texts(category, "ASSESS")).toMatch(/classif/i);
      expect(texts(category, "ASSESS")).toMatch(/user impact/i);
      const communicate = texts(category, "COMMUNICATE");
      expect(communicate).toMatch(/incident channel/);
      expect(communicate).toMatch(/status page/);
      expect(communicate).toMatch(/product and business/);
      const resolve = texts(category, "RESOLVE");
      expect(resolve).toMatch(/root cause/i);
      expect(resolve).toMatch(/normal process, not as a hotfix/);
      expect(resolve).toMatch(/monitoring/);
      expect(resolve).toMatch(/post-incident review/);
    }
  });

  it("model: roll back the registry pointer and check /health", () => {
    const mitigate = texts("model", "MITIGATE");
    expect(mitigate).toMatch(/model-registry pointer to the previous model version/);
    expect(mitigate).toMatch(/\/health/);
    expect(mitigate).not.toMatch(/fallback data/);
  });

  it("data: fallback source or cached features, roll back the pipeline", () => {
    const mitigate = texts("data", "MITIGATE");
    expect(mitigate).toMatch(/fallback data source or cached features/);
    expect(mitigate).toMatch(/Roll back the data pipeline/);
    expect(mitigate).not.toMatch(/registry pointer/);
  });

  it("infrastructure: scale up, restart, fail over", () => {
    const mitigate = texts("infrastructure", "MITIGATE");
    expect(mitigate).toMatch(/Scale up/);
    expect(mitigate).toMatch(/Restart/);
    expect(mitigate).toMatch(/Fail over/);
  });

  it("integration: verify the served version, clear caches", () => {
    const mitigate = texts("integration", "MITIGATE");
    expect(mitigate).toMatch(/served model version/);
    expect(mitigate).toMatch(/Clear stale caches/);
  });

  it("unclassified: offers every class's first response", () => {
    const mitigate = texts(null, "MITIGATE");
    for (const phrase of ["registry pointer", "fallback data source", "fail over", "clear caches"]) {
      expect(mitigate).toContain(phrase);
    }
  });

  it("numbers items <step>.<n>", () => {
    const items = numberPlaybook(buildPlaybook("model"));
    expect(items[0]).toMatchObject({ number: "1.1", stepKey: "DETECT", key: "record-detection" });
    expect(items.find((i) => i.key === "rollback-model")).toMatchObject({ number: "3.1", stepKey: "MITIGATE" });
    expect(items.at(-1)!.number).toBe("5.5");
  });
});

describe("formatTargetDuration", () => {
  it.each([
    [300, "5 minutes"],
    [60, "1 minute"],
    [3600, "1 hour"],
    [86400, "24 hours"],
    [90, "90 seconds"],
    [5400, "1 hour 30 minutes"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatTargetDuration(seconds)).toBe(text);
  });
});
