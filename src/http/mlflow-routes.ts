import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { parseRegistryEvent, receiveRegistryEvent } from "../models/receive-registry-event.js";
import { checkMlflowSignature } from "../models/webhook-signature.js";
import { readBodyCapped } from "./body.js";
import { type Route, sendJson } from "./routes.js";

const MAX_BODY_BYTES = 1_048_576;

/** `POST /webhooks/mlflow`: MLflow 3.3+ registry webhooks (signature, 5-minute window, one handling per delivery id). */
export function mlflowRoutes(ctx: AppContext): Route[] {
  return [{ path: "/webhooks/mlflow", method: ["POST"], handler: (req, res) => handle(ctx, req, res) }];
}

async function handle(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  const secret = ctx.config.mlflow.webhookSecret;
  if (!secret) return sendJson(res, 503, { error: "MLflow webhooks are not configured: set MLFLOW_WEBHOOK_SECRET" });
  let body: Buffer;
  let tooLarge: boolean;
  try {
    ({ body, tooLarge } = await readBodyCapped(req, MAX_BODY_BYTES));
  } catch {
    return; // the sender went away mid-body
  }
  if (tooLarge) return sendJson(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
  // Authenticity first: nothing about an unsigned body is worth telling its sender.
  const signed = checkMlflowSignature(req.headers, body, secret, Math.floor(ctx.clock.now().getTime() / 1000));
  if (!signed.ok) return sendJson(res, 401, { error: signed.error });
  const type = String(req.headers["content-type"] ?? "");
  if (!/^application\/json\b/i.test(type)) return sendJson(res, 415, { error: "Content-Type must be application/json" });
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return sendJson(res, 400, { error: "body is not valid JSON" });
  }
  const parsed = parseRegistryEvent(json);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  try {
    const out = await receiveRegistryEvent(ctx, signed.deliveryId, parsed.event);
    sendJson(res, 200, { delivery: signed.deliveryId, ...out });
  } catch (err) {
    // A valid delivery we could not store (usually the database): 503, and MLflow retries it.
    ctx.log.error({ err, delivery: signed.deliveryId }, "mlflow webhook failed");
    if (!res.headersSent)
      sendJson(res, 503, { error: "registry webhook handling is temporarily unavailable; retry later" }, { "retry-after": "5" });
  }
}
