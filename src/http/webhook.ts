import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger.js";
import { readBodyCapped } from "./body.js";
import { sendJson } from "./routes.js";

/** What a registry or tracker webhook may send in one delivery. */
const MAX_BODY_BYTES = 1_048_576;

/**
 * A webhook's raw body (authenticity is checked on these bytes), or null when it has been answered already:
 * 413 past the limit, nothing when the sender went away mid-body.
 */
export async function readWebhookBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
  try {
    const { body, tooLarge } = await readBodyCapped(req, MAX_BODY_BYTES);
    if (!tooLarge) return body;
    sendJson(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
  } catch {
    // the sender went away mid-body: nobody to answer
  }
  return null;
}

/** The body as JSON, or `undefined` once a 400 has been sent. */
export function parseJsonOr400(res: ServerResponse, body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body.toString("utf8")) };
  } catch {
    sendJson(res, 400, { error: "body is not valid JSON" });
    return undefined;
  }
}

/**
 * Runs the handling of an authentic, valid delivery and answers 200 with its result. A failure there is ours
 * (usually the database): 503 with Retry-After, so the sender delivers it again.
 */
export async function answerDelivery(
  res: ServerResponse,
  log: Logger,
  what: string,
  deliveryId: string | null,
  handle: () => Promise<unknown>,
): Promise<void> {
  try {
    sendJson(res, 200, await handle());
  } catch (err) {
    log.error({ err, delivery: deliveryId }, `${what} webhook failed`);
    if (!res.headersSent)
      sendJson(res, 503, { error: `${what} webhook handling is temporarily unavailable; retry later` }, { "retry-after": "5" });
  }
}
