import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { parseRegistryEvent, receiveRegistryEvent } from "../models/receive-registry-event.js";
import { checkMlflowSignature } from "../models/webhook-signature.js";
import { type Route, sendJson } from "./routes.js";
import { answerDelivery, parseJsonOr400, readWebhookBody } from "./webhook.js";

/** `POST /webhooks/mlflow`: MLflow 3.3+ registry webhooks (signature, 5-minute window, one handling per delivery id). */
export function mlflowRoutes(ctx: AppContext): Route[] {
  return [{ path: "/webhooks/mlflow", method: ["POST"], handler: (req, res) => handle(ctx, req, res) }];
}

async function handle(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  const secret = ctx.config.mlflow.webhookSecret;
  if (!secret) return sendJson(res, 503, { error: "MLflow webhooks are not configured: set MLFLOW_WEBHOOK_SECRET" });
  const body = await readWebhookBody(req, res);
  if (!body) return;
  // Authenticity first: nothing about an unsigned body is worth telling its sender.
  const signed = checkMlflowSignature(req.headers, body, secret, Math.floor(ctx.clock.now().getTime() / 1000));
  if (!signed.ok) return sendJson(res, 401, { error: signed.error });
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/json\b/i.test(type)) return sendJson(res, 415, { error: "Content-Type must be application/json" });
  const json = parseJsonOr400(res, body);
  if (!json) return;
  const parsed = parseRegistryEvent(json.value);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  await answerDelivery(res, ctx.log, "registry", signed.deliveryId, async () => ({
    delivery: signed.deliveryId,
    ...(await receiveRegistryEvent(ctx, signed.deliveryId, parsed.event)),
  }));
}
