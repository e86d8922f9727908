import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModelsFile } from "../../../src/models/catalog.js";

describe("the example MODELS_FILE", () => {
  it("is a valid catalog (what the README tells people to copy)", () => {
    const models = loadModelsFile(path.resolve("templates/models/models.example.yaml"));
    expect(models.length).toBeGreaterThan(0);
    for (const m of models) expect(m.name).toMatch(/\S/);
  });
});
