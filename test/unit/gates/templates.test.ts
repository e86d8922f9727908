import { describe, expect, it } from "vitest";
import { findItem, GateTemplateSchema, ITEM_TEXT_MAX, numberItems } from "../../../src/gates/template-schema.js";
import { builtInTemplates, getTemplate, listTemplates } from "../../../src/gates/templates/index.js";

const CONTRACT_IDS = [
  "pre-development",
  "data-pipeline",
  "model-development",
  "model-card",
  "pre-deployment",
  "monitoring",
  "documentation",
  "shadow",
  "canary",
  "ab-test",
  "full-rollout",
];

describe("built-in gate templates", () => {
  it("has exactly the contract's ids plus lead-scoring-pre-deployment and cicd", () => {
    expect(builtInTemplates.map((t) => t.id).sort()).toEqual([...CONTRACT_IDS, "lead-scoring-pre-deployment", "cicd"].sort());
    expect(listTemplates().map((t) => t.id)).toEqual(builtInTemplates.map((t) => t.id));
  });

  it.each(builtInTemplates.map((t) => [t.id, t] as const))("%s validates against the schema", (_id, template) => {
    expect(GateTemplateSchema.safeParse(template).success).toBe(true);
  });

  it("keeps every item line within 150 characters and every key unique per template", () => {
    for (const template of builtInTemplates) {
      const items = numberItems(template);
      for (const item of items) expect(item.text.length, `${template.id} ${item.number}`).toBeLessThanOrEqual(ITEM_TEXT_MAX);
      expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    }
  });

  it("numbers items <section>.<n> from 1", () => {
    const items = numberItems(getTemplate("shadow")!);
    expect(items.slice(0, 6).map((i) => i.number)).toEqual(["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"]);
    expect(items[4]).toMatchObject({ number: "2.1", sectionTitle: "System health", key: "p99-latency" });
    expect(items.at(-1)!.number).toBe("5.3");
    expect(findItem(getTemplate("shadow")!, "2.1")?.key).toBe("p99-latency");
    expect(findItem(getTemplate("shadow")!, "throughput")?.number).toBe("2.2");
    expect(findItem(getTemplate("shadow")!, "9.9")).toBeUndefined();
  });

  it("lists each model-card field as an item", () => {
    const texts = numberItems(getTemplate("model-card")!).map((i) => i.text);
    expect(texts).toHaveLength(13);
    expect(texts[0]).toBe("Model name — human-readable identifier");
    expect(texts.some((t) => t.startsWith("Maintenance plan —"))).toBe(true);
  });

  it("orders the rollout stages shadow → canary → ab-test → full-rollout, each requiring the previous", () => {
    const staged = builtInTemplates.filter((t) => t.stage).sort((a, b) => a.stage!.order - b.stage!.order);
    expect(staged.map((t) => [t.id, t.stage!.order, t.stage!.requires])).toEqual([
      ["shadow", 1, undefined],
      ["canary", 2, "shadow"],
      ["ab-test", 3, "canary"],
      ["full-rollout", 4, "ab-test"],
    ]);
  });

  it("gives shadow its measured criteria with the seed's ops and values", () => {
    const criteria = Object.fromEntries(
      numberItems(getTemplate("shadow")!)
        .filter((i) => i.criterion)
        .map((i) => [i.criterion!.metric, [i.criterion!.op, i.criterion!.value, i.criterion!.unit]]),
    );
    expect(criteria).toEqual({
      latency_p99: ["<", 200, "ms"],
      throughput: [">", 1000, "req/s"],
      error_rate: ["<", 0.1, "%"],
      memory_per_instance: ["<", 2, "GB"],
      auc: [">=", 0.85, "score"],
      precision_at_0_5: [">=", 0.8, "ratio"],
      recall: [">=", 0.8, "ratio"],
      calibration_error: ["<", 0.05, "ratio"],
      missing_values: ["<", 1, "%"],
    });
    expect(findItem(getTemplate("shadow")!, "p99-latency")!.criterion!.label).toBe("p99 < 200 ms");
  });

  it("gives ab-test its measured criteria, including 5,000 leads per variant", () => {
    const byKey = Object.fromEntries(numberItems(getTemplate("ab-test")!).map((i) => [i.key, i.criterion]));
    expect(byKey["sample-size"]).toMatchObject({ metric: "leads_per_variant", op: ">=", value: 5000, unit: "count" });
    expect(byKey["conversion-lift"]).toMatchObject({ op: ">=", value: 5, unit: "%" });
    expect(byKey["significance"]).toMatchObject({ metric: "p_value", op: "<", value: 0.05 });
    expect(byKey["sales-satisfaction"]).toMatchObject({ op: ">=", value: 8 });
    expect(byKey["model-accuracy"]).toMatchObject({ metric: "auc", op: ">=", value: 0.87 });
    expect(byKey["deal-size"]).toMatchObject({ op: ">=", value: 0 });
  });

  it("encodes canary's 90/10 split and 10 % degradation limit, and full-rollout's alerts", () => {
    const canary = numberItems(getTemplate("canary")!);
    expect(canary.find((i) => i.key === "traffic-split")!.text).toMatch(/90 %.*10 %/);
    expect(canary.find((i) => i.key === "no-degradation")!.criterion).toMatchObject({ op: "<=", value: 10, unit: "%" });
    const alerts = getTemplate("full-rollout")!.sections.find((s) => s.title === "Automated alerts active")!;
    expect(alerts.items).toHaveLength(5);
  });

  it("gives cicd its five phases", () => {
    expect(getTemplate("cicd")!.sections.map((s) => s.title)).toEqual([
      "Pre-commit",
      "Pre-training",
      "Post-training",
      "Pre-deployment",
      "Post-deployment",
    ]);
  });

  it("returns undefined for an unknown id and tolerates case", () => {
    expect(getTemplate("nope")).toBeUndefined();
    expect(getTemplate("Shadow")?.id).toBe("shadow");
  });
});

describe("template schema", () => {
  const base = {
    id: "x-review",
    title: "X",
    description: "d",
    source: "s",
    sections: [{ title: "S", items: [{ key: "a", text: "A" }] }],
  };

  it("refuses a non-kebab id, a long item line, duplicate keys and self-requirement", () => {
    expect(GateTemplateSchema.safeParse({ ...base, id: "X Review" }).success).toBe(false);
    const long = { ...base, sections: [{ title: "S", items: [{ key: "a", text: "x".repeat(151) }] }] };
    expect(GateTemplateSchema.safeParse(long).error?.issues[0]?.path).toEqual(["sections", 0, "items", 0, "text"]);
    const dup = {
      ...base,
      sections: [
        {
          title: "S",
          items: [
            { key: "a", text: "A" },
            { key: "a", text: "B" },
          ],
        },
      ],
    };
    expect(GateTemplateSchema.safeParse(dup).error?.issues[0]?.message).toMatch(/duplicate item key "a"/);
    expect(GateTemplateSchema.safeParse({ ...base, stage: { order: 1, requires: "x-review" } }).success).toBe(false);
  });

  it("refuses an unknown criterion op", () => {
    const bad = {
      ...base,
      sections: [{ title: "S", items: [{ key: "a", text: "A", criterion: { metric: "m", op: "=", value: 1, label: "m = 1" } }] }],
    };
    expect(GateTemplateSchema.safeParse(bad).success).toBe(false);
  });
});
