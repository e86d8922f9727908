import { readFileSync } from "node:fs";

export const ALERT_TOKEN = "alert-token-for-tests";

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), "utf8"));
}

export interface AlertPost {
  token?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

/** POSTs to an alert route of the running app; `body` objects are JSON-encoded, strings/Buffers sent as is. */
export async function postAlert(appUrl: string, route: string, body: unknown, opts: AlertPost = {}) {
  const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json", ...opts.headers };
  const token = opts.token === undefined ? ALERT_TOKEN : opts.token;
  if (token !== null && !headers.authorization) headers.authorization = `Bearer ${token}`;
  const payload = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const res = await fetch(`${appUrl}/alerts/${route}`, { method: "POST", headers, body: payload as BodyInit });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
