import { createHmac, timingSafeEqual } from "node:crypto";

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

/**
 * JIRA_WEBHOOK_SECRET, presented one of three ways: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
 * (a Jira Cloud admin webhook with a secret), `?secret=<secret>` in the URL (a Jira webhook without one), or
 * `Authorization: Bearer <secret>` (Jira Automation's "Send web request"). Compared in constant time.
 */
export function checkJiraSecret(headers: Headers, url: URL, rawBody: Buffer, secret: string): { ok: true } | { ok: false; error: string } {
  const signature = one(headers["x-hub-signature"]);
  const bearer = /^Bearer\s+(.+)$/i.exec(one(headers.authorization) ?? "")?.[1]?.trim();
  const query = url.searchParams.get("secret") ?? undefined;
  if (!signature && !bearer && query === undefined) {
    return {
      ok: false,
      error: "unauthenticated: send X-Hub-Signature (sha256=…), ?secret=… or Authorization: Bearer with JIRA_WEBHOOK_SECRET",
    };
  }
  if (signature) {
    const m = /^sha256=([0-9a-f]{64})$/i.exec(signature);
    const expected = createHmac("sha256", secret).update(rawBody).digest();
    if (m && same(Buffer.from(m[1]!, "hex"), expected)) return { ok: true };
  }
  const want = Buffer.from(secret);
  if (bearer && same(Buffer.from(bearer), want)) return { ok: true };
  if (query !== undefined && same(Buffer.from(query), want)) return { ok: true };
  return { ok: false, error: "the webhook secret does not match JIRA_WEBHOOK_SECRET" };
}
