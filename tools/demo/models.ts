/** Demo part (issue 14): a fake MLflow registry and model service, a MODELS_FILE naming lead-scoring, signed webhooks. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeMlflow, FakeModelService } from "../fake-mlflow/server.js";

const WEBHOOK_SECRET = "demo-mlflow-webhook-secret";

export async function startDemoModels() {
  const mlflow = new FakeMlflow({ token: "demo-mlflow-token" });
  await mlflow.start();
  mlflow.addModel("lead-scoring", 7, { champion: "7" });
  // Serving picks up a moved alias 1.5 s later, as a real model server reloading would.
  const serving = await new FakeModelService(mlflow, { name: "lead-scoring", alias: "champion", followDelayMs: 1500 }).start();
  const dir = mkdtempSync(path.join(tmpdir(), "demo-models-"));
  const file = path.join(dir, "models.yaml");
  writeFileSync(
    file,
    [
      "models:",
      "  - name: lead-scoring",
      "    alias: champion",
      `    healthUrl: ${serving.url}`,
      "    healthVersionField: model_version",
      "    services: [lead-scoring-api]",
      '    owners: ["ULEE"]',
      "",
    ].join("\n"),
  );
  return {
    env: {
      MODELS_FILE: file,
      MLFLOW_TRACKING_URI: mlflow.url,
      MLFLOW_TRACKING_TOKEN: "demo-mlflow-token",
      MLFLOW_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ROLLBACK_POLL_MS: "500",
    },
    /** Once the app listens: MLflow delivers its registry webhooks there, signed. */
    connect(appUrl: string) {
      mlflow.opts.webhook = { url: `${appUrl}/webhooks/mlflow`, secret: WEBHOOK_SECRET };
    },
    /** What the registry and serving say now, and what the registry was asked. */
    describe(): string[] {
      const moves = mlflow.callsTo("registered-models/alias", "POST").length;
      return [
        `MLflow: lead-scoring@champion → ${mlflow.aliasOf("lead-scoring", "champion")} (alias moved ${moves}× by the bot)`,
        `model service /health reports model_version ${serving.served}`,
        `registry webhooks delivered to /webhooks/mlflow: ${mlflow.deliveries.map((d) => d.status).join(", ") || "none"}`,
      ];
    },
    async close() {
      await serving.close();
      await mlflow.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
