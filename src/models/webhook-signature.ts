import { createHmac, timingSafeEqual } from "node:crypto";

/** MLflow refuses nothing older, and neither do we: a captured delivery replayed later is refused by its timestamp. */
export const WEBHOOK_WINDOW_SECONDS = 300;

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export type SignatureCheck = { ok: true; deliveryId: string; timestamp: number } | { ok: false; error: string };

/**
 * MLflow 3.3+ signs `<delivery id>.<timestamp>.<raw body>` with HMAC-SHA256 and sends `X-MLflow-Signature: v1,<base64>`.
 * Checked on the raw bytes (a re-serialised body would not match), compared in constant time.
 */
export function checkMlflowSignature(headers: Headers, rawBody: Buffer, secret: string, nowSeconds: number): SignatureCheck {
  const signature = one(headers["x-mlflow-signature"]);
  const deliveryId = one(headers["x-mlflow-delivery-id"]);
  const ts = one(headers["x-mlflow-timestamp"]);
  if (!signature || !deliveryId || !ts) {
    return { ok: false, error: "unsigned: X-MLflow-Signature, X-MLflow-Delivery-Id and X-MLflow-Timestamp are required" };
  }
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, error: "X-MLflow-Timestamp must be Unix seconds" };
  const timestamp = Number(ts);
  if (Math.abs(nowSeconds - timestamp) > WEBHOOK_WINDOW_SECONDS) {
    return { ok: false, error: `X-MLflow-Timestamp is more than ${WEBHOOK_WINDOW_SECONDS / 60} minutes away from now` };
  }
  const expected = createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(`${deliveryId}.${timestamp}.`), rawBody]))
    .digest();
  // One or more space-separated `v1,<base64>` entries (several while a secret is rotated); any match will do.
  const matches = signature.split(/\s+/).some((entry) => {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, deliveryId, timestamp } : { ok: false, error: "X-MLflow-Signature does not match" };
}
