import { createHash, timingSafeEqual } from "node:crypto";
import type { IntakeMemo } from "./intake-memo.js";
import type { Issue, RejectedAlert } from "./issues.js";
import { type AlertSource, NORMALIZERS, type NormalizeOptions, type NormalizedAlert } from "./normalize.js";
import { mayHoldIllFormed, wellFormedJson } from "../text/well-formed.js";

/** 1 MiB, the contract's body limit. */
export const MAX_ALERT_BODY_BYTES = 1_048_576;
export const NOT_CONFIGURED_ERROR = "alert ingestion is not configured: set ALERT_WEBHOOK_TOKEN";

export type AlertRequest = {
  route: AlertSource;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /** The body was over the limit: it was not kept (src/http/body.ts), so only its size is known. */
  tooLarge?: boolean;
  token: string | undefined;
  options?: NormalizeOptions;
  /** byte-identical bodies accepted before skip parsing and normalising (see intake-memo.ts) */
  memo?: IntakeMemo;
};

export type AlertRequestRefusal = {
  ok: false;
  status: 401 | 413 | 415 | 400 | 503;
  body: { error: string; issues?: Issue[] };
};
export type AlertRequestAccepted = { ok: true; alerts: NormalizedAlert[]; rejected: RejectedAlert[]; received: number };

/** The contract's checks, in its order: not configured 503 → auth 401 → type 415 → size 413 → JSON/envelope 400. */
export function checkAlertRequest(input: AlertRequest): AlertRequestRefusal | AlertRequestAccepted {
  const { route, headers, rawBody, token } = input;
  if (!token) return refuse(503, NOT_CONFIGURED_ERROR);
  if (!isAuthorized(route, headers, rawBody, token)) return refuse(401, "unauthorized: missing or invalid token");
  if (!isJsonContentType(header(headers, "content-type"))) {
    return refuse(415, "unsupported content type: send application/json");
  }
  if (input.tooLarge || rawBody.length > MAX_ALERT_BODY_BYTES)
    return refuse(413, `body too large: the limit is ${MAX_ALERT_BODY_BYTES} bytes`);
  const known = input.memo?.get(route, rawBody);
  if (known) return { ok: true, ...known };
  const parsed = parseJson(rawBody);
  if (!parsed.ok) return refuse(400, `invalid JSON: ${parsed.message}`);
  const result = NORMALIZERS[route](parsed.value, input.options);
  if (!result.ok) return { ok: false, status: 400, body: { error: result.error, issues: result.issues } };
  return input.memo ? { ok: true, ...input.memo.remember(route, rawBody, result) } : result;
}

function refuse(status: AlertRequestRefusal["status"], error: string): AlertRequestRefusal {
  return { ok: false, status, body: { error } };
}

export function header(headers: AlertRequest["headers"], name: string): string | undefined {
  const wanted = name.toLowerCase();
  // Node already lower-cases header names: look the name up first, scan only for hand-built header objects.
  const direct = headers[wanted];
  if (direct !== undefined) return Array.isArray(direct) ? direct[0] : direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

// --- auth --------------------------------------------------------------------------------------

function isAuthorized(route: AlertSource, headers: AlertRequest["headers"], rawBody: Buffer, token: string): boolean {
  const presented = credentialFromHeader(header(headers, "authorization"));
  if (presented !== undefined && sameSecret(presented, token)) return true;
  // PagerDuty senders cannot set headers: the routing_key in the body is their only credential.
  if (route !== "pagerduty") return false;
  const routingKey = routingKeyOf(rawBody);
  return routingKey !== undefined && sameSecret(routingKey, token);
}

/** `Bearer <token>` or `Basic base64(user:token)` (the password is the token; the user name is ignored). */
function credentialFromHeader(value: string | undefined): string | undefined {
  const m = value ? /^\s*(\S+)\s+(\S+)\s*$/.exec(value) : null;
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === "bearer") return m[2];
  if (scheme !== "basic") return undefined;
  const decoded = Buffer.from(m[2], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Constant-time compare: hash both sides so the lengths are always equal and nothing leaks through timing. */
function sameSecret(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), tokenDigest(token));
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
let lastToken: { token: string; digest: Buffer } | undefined;
/** The configured token's digest, computed once (the token does not change while the app runs). */
function tokenDigest(token: string): Buffer {
  if (lastToken?.token !== token) lastToken = { token, digest: digest(token) };
  return lastToken.digest;
}

function routingKeyOf(rawBody: Buffer): string | undefined {
  if (rawBody.length > MAX_ALERT_BODY_BYTES) return undefined;
  const parsed = parseJson(rawBody);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== "object") return undefined;
  const key = (parsed.value as Record<string, unknown>).routing_key;
  return typeof key === "string" ? key : undefined;
}

// --- content -----------------------------------------------------------------------------------

/** `application/json` or `application/<something>+json`, any parameters (charset) allowed. */
export function isJsonContentType(value: string | undefined): boolean {
  const type = value?.split(";")[0].trim().toLowerCase();
  return !!type && (type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type));
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseJson(rawBody: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    return { ok: false, message: "body is not valid UTF-8" };
  }
  let value: unknown;
  try {
    // Tolerate one leading byte-order mark; some senders write it.
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    return { ok: false, message: (error as Error).message.slice(0, 200) };
  }
  // NUL and lone surrogates (which the database refuses) can only come as escapes: walk only when one is there.
  return { ok: true, value: mayHoldIllFormed(text) ? wellFormedJson(value) : value };
}
