import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeMlflow, FakeModelService } from "../../tools/fake-mlflow/server.js";

export const MLFLOW_TOKEN = "mlflow-test-token";
export const MLFLOW_WEBHOOK_SECRET = "mlflow-webhook-secret";

export interface ModelWorld {
  mlflow: FakeMlflow;
  /** lead-scoring: /health follows the alias after `followDelayMs`. */
  serving: FakeModelService;
  /** churn: /health never follows. */
  stuck: FakeModelService;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A fake MLflow with two models (lead-scoring at champion → 7 of 7 versions, churn at champion → 3 of 3), their
 * fake model services, and a MODELS_FILE describing them. The webhook (if any) is set once the app's URL is known.
 */
export async function startModelWorld(opts: { followDelayMs?: number; latencyMs?: number } = {}): Promise<ModelWorld> {
  const mlflow = new FakeMlflow({ token: MLFLOW_TOKEN, latencyMs: opts.latencyMs });
  await mlflow.start();
  mlflow.addModel("lead-scoring", 7, { champion: "7" });
  mlflow.addModel("churn", 3, { champion: "3" });
  const serving = await new FakeModelService(mlflow, {
    name: "lead-scoring",
    alias: "champion",
    followDelayMs: opts.followDelayMs ?? 300,
  }).start();
  const stuck = await new FakeModelService(mlflow, { name: "churn", alias: "champion", follow: false }).start();
  const dir = mkdtempSync(join(tmpdir(), "models-"));
  const file = join(dir, "models.yaml");
  writeFileSync(
    file,
    [
      "models:",
      "  - name: lead-scoring",
      "    alias: champion",
      `    healthUrl: ${serving.url}`,
      "    healthVersionField: model_version",
      "    services: [lead-scoring-api]",
      '    owners: ["U0ALICE"]',
      "  - name: churn",
      "    registryModel: churn",
      "    alias: champion",
      `    healthUrl: ${stuck.url}`,
      "    healthVersionField: model_version",
      "",
    ].join("\n"),
  );
  return {
    mlflow,
    serving,
    stuck,
    env: {
      MODELS_FILE: file,
      MLFLOW_TRACKING_URI: mlflow.url,
      MLFLOW_TRACKING_TOKEN: MLFLOW_TOKEN,
      MLFLOW_WEBHOOK_SECRET,
      ROLLBACK_POLL_MS: "100",
      ROLLBACK_VERIFY_SECONDS: "3",
    },
    async close() {
      await serving.close();
      await stuck.close();
      await mlflow.close();
    },
  };
}
