import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dbKinds } from "../helpers/test-db.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, fixture, postAlert } from "../helpers/alerts.js";
import { type ModelWorld, startModelWorld } from "../helpers/models.js";

const kinds = await dbKinds();

describe("MODELS_FILE is checked at start-up", () => {
  const base = { SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s" };
  const file = (name: string, text: string) => {
    const p = join(mkdtempSync(join(tmpdir(), "mf-")), name);
    writeFileSync(p, text);
    return p;
  };
  it("names the file, the entry and the field in one line", () => {
    const bad = file("m.yaml", "models:\n  - name: lead-scoring\n    alias: champion\n    healthUrl: not-a-url\n");
    expect(() => loadConfig({ ...base, MODELS_FILE: bad })).toThrow(
      /^Invalid configuration: MODELS_FILE .*m\.yaml: models\[0\] \(lead-scoring\) field healthUrl: must be an http/,
    );
    const typo = file("m.json", JSON.stringify({ models: [{ name: "a", alias: "c", healthUrl: "http://x/health", owner: ["U1"] }] }));
    expect(() => loadConfig({ ...base, MODELS_FILE: typo })).toThrow(/models\[0\] \(a\): unknown field\(s\) owner/);
    expect(() => loadConfig({ ...base, MODELS_FILE: "/nonexistent/models.yaml" })).toThrow(
      /MODELS_FILE \/nonexistent\/models\.yaml: cannot read: ENOENT/,
    );
    const noAlias = file("m.yaml", "models:\n  - name: x\n    healthUrl: http://x/health\n");
    expect(() => loadConfig({ ...base, MODELS_FILE: noAlias })).toThrow(/models\[0\] \(x\) field alias/);
    for (const msg of [bad, typo, noAlias].map((f) => {
      try {
        loadConfig({ ...base, MODELS_FILE: f });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })) {
      expect(msg).not.toContain("\n");
    }
  });
});

describe.each(kinds)("model-aware incidents (%s)", (kind) => {
  let h: Harness;
  let w: ModelWorld;
  beforeAll(async () => {
    w = await startModelWorld();
    h = await startHarness(kind, { env: { ...w.env, ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
    await w?.close();
  });

  it("an alert on lead-scoring opens an incident tied to the model with the version and the evidence in the header", async () => {
    const res = await postAlert(h.appUrl, "generic", {
      ...fixture("generic-single"),
      fingerprint: `m-${kind}-1`,
      labels: { baseline: "0.05", window: "1h" },
    });
    expect(res.status).toBeLessThan(300);
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { modelName: "lead-scoring", provisionedAt: { not: null } } }),
      15_000,
      "model incident",
    );
    expect(inc.modelAlias).toBe("champion");
    expect(inc.modelVersion).toBe("7");
    expect(inc.modelEvidence).toMatchObject({ metric: "psi", value: 0.31, feature: "lead_source", baseline: "0.05", window: "1h" });
    const header = h.fake.messages(inc.channelId!).find((m) => m.ts === inc.headerTs);
    const text = JSON.stringify(header?.blocks ?? []);
    expect(text).toContain("*Model* lead-scoring");
    expect(text).toContain("→ version *7*");
    expect(text).toMatch(
      /metric psi · value 0.31 · threshold PSI 0.31 &gt; 0.25 \(critical\) · feature lead_source · baseline 0.05 · window 1h/,
    );
    expect(h.fake.channelByName(inc.channelName!)!.members).toContain("U0ALICE");
    const model = await runCommand(h, "/incident", "model", { userId: "UDECL", channelId: inc.channelId! });
    expect(model.text).toMatch(/lead-scoring.*alias `champion` → \*7\*.*health reports \*7\*/);
  });

  it("declare --model records the alias version; a model that is not in the catalog is refused with usage", async () => {
    const inc = await declareAndProvision(h, "P2 --model churn Churn scores all zero");
    expect(inc).toMatchObject({ modelName: "churn", modelVersion: "3", category: "model" });
    const bad = await runCommand(h, "/incident", "declare --model nope Something", { userId: "UDECL", channelId: "CGENERAL" });
    expect(bad.text).toMatch(/No model named "nope".*known: lead-scoring, churn/);
    const none = await runCommand(h, "/incident", "declare --model", { userId: "UDECL", channelId: "CGENERAL" });
    expect(none.text).toMatch(/--model` needs the model's name/);
  });

  it("/incident models lists alias → version and what health reports", async () => {
    const r = await runCommand(h, "/incident", "models", { userId: "UDECL", channelId: "CGENERAL" });
    expect(r.text).toMatch(/lead-scoring.*alias `champion` → \*7\* · health reports \*7\*/);
    expect(r.text).toMatch(/churn.*alias `champion` → \*3\* · health reports \*3\*/);
    expect(w.mlflow.calls.every((c) => c.status !== 401)).toBe(true);
  });
});
