import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCustomTemplates } from "../../../src/gates/custom-templates.js";

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gate-templates-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const goodYaml = `id: security-review
title: Security review
description: Threat model and pen test before launch.
source: Team handbook
stage:
  order: 1
  requires: shadow
sections:
  - title: Checks
    items:
      - key: threat-model
        text: Threat model written
      - key: p95
        text: p95 under 300 ms
        criterion: { metric: latency_p95, op: "<", value: 300, unit: ms, label: p95 < 300 ms }
`;

describe("loadCustomTemplates", () => {
  it("loads the repository's example template", () => {
    const { templates, errors } = loadCustomTemplates(path.resolve("templates"));
    expect(errors).toEqual([]);
    expect(templates.map((t) => t.id)).toEqual(["fairness-review"]);
  });

  it("loads good YAML and JSON files and ignores other files", () => {
    const json = JSON.stringify({
      id: "privacy-review",
      title: "Privacy review",
      description: "PII handling signed off.",
      source: "Team handbook",
      sections: [{ title: "PII", items: [{ key: "pii-removed", text: "PII removed or encrypted" }] }],
    });
    const { templates, errors } = loadCustomTemplates(dirWith({ "a.yaml": goodYaml, "b.json": json, "notes.txt": "ignored" }));
    expect(errors).toEqual([]);
    expect(templates.map((t) => t.id)).toEqual(["security-review", "privacy-review"]);
    expect(templates[0]!.sections[0]!.items[1]!.criterion).toMatchObject({ op: "<", value: 300, unit: "ms" });
  });

  it("reports one line per bad file, naming the file and the failing path, and keeps the good ones", () => {
    const badText = goodYaml.replace("Threat model written", "x".repeat(200));
    const { templates, errors } = loadCustomTemplates(
      dirWith({
        "good.yaml": goodYaml,
        "long.yml": badText.replace("security-review", "other"),
        "broken.yaml": "id: [",
      }),
    );
    expect(templates.map((t) => t.id)).toEqual(["security-review"]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^broken\.yaml: not valid YAML: /);
    expect(errors[1]).toMatch(/^long\.yml: sections\.0\.items\.0\.text: /);
    for (const e of errors) expect(e).not.toContain("\n");
  });

  it("refuses an id that clashes with a built-in, and a duplicate id across files", () => {
    const { templates, errors } = loadCustomTemplates(
      dirWith({
        "1.yaml": goodYaml.replace("id: security-review", "id: canary"),
        "2.yaml": goodYaml,
        "3.yaml": goodYaml,
      }),
    );
    expect(templates.map((t) => t.id)).toEqual(["security-review"]);
    expect(errors).toEqual([
      '1.yaml: id: "canary" is a built-in template id; choose another id',
      '3.yaml: id: "security-review" is already defined in 2.yaml',
    ]);
  });

  it("refuses a stage that requires an unknown template", () => {
    const { templates, errors } = loadCustomTemplates(dirWith({ "a.yaml": goodYaml.replace("requires: shadow", "requires: nowhere") }));
    expect(templates).toEqual([]);
    expect(errors).toEqual(['a.yaml: stage.requires: unknown template "nowhere"']);
  });

  it("reports a missing directory in one line", () => {
    expect(loadCustomTemplates("/definitely/not/here")).toEqual({
      templates: [],
      errors: ["/definitely/not/here: directory not found"],
    });
  });
});
