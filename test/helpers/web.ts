import { webEnv } from "../../tools/demo/web-view.js";
import { startFakeSlack, type FakeSlack } from "../../tools/fake-slack/server.js";
import { freePort } from "./child-app.js";
import { type Harness, type HarnessOptions, startHarness } from "./harness.js";
import type { TestDbKind } from "./test-db.js";

/** The real app with the web view on, against the fake Slack's Sign in with Slack. */
export async function startWebHarness(kind: TestDbKind, opts: HarnessOptions = {}): Promise<Harness> {
  const fake: FakeSlack = opts.fake ?? (await startFakeSlack());
  const port = await freePort();
  return startHarness(kind, {
    ...opts,
    fake,
    env: { ...webEnv(port, fake.baseUrl), ...opts.env },
  });
}

export interface Answer {
  status: number;
  location: string | null;
  setCookies: string[];
  text: string;
  headers: Headers;
}

export async function get(url: string, cookie?: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { redirect: "manual", ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) } });
  return {
    status: res.status,
    location: res.headers.get("location"),
    setCookies: res.headers.getSetCookie(),
    text: await res.text(),
    headers: res.headers,
  };
}

/** `name=value` of a Set-Cookie list's cookie, or undefined. */
export function cookieOf(setCookies: string[], name: string): string | undefined {
  const c = setCookies.find((s) => s.startsWith(`${name}=`));
  return c ? c.split(";")[0] : undefined;
}

export interface SignInSteps {
  /** The authorize URL our /app/login sent the browser to. */
  authorizeUrl: URL;
  /** The login cookie (`incident_login=<state>`) it set. */
  loginCookie: string;
  /** The callback URL the fake's authorize page redirected back to (code + state). */
  callbackUrl: string;
  /** The callback's answer. */
  callback: Answer;
  /** The session cookie (`incident_session=…`), when the sign-in worked. */
  session: string | undefined;
}

/** Signs in like a browser: /app/login → the fake's authorize form (as `userId` of `teamId`) → /app/callback. */
export async function signIn(h: Harness, as: { userId: string; teamId?: string }, next?: string): Promise<SignInSteps> {
  const login = await get(`${h.appUrl}/app/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  if (login.status !== 302 || !login.location) throw new Error(`/app/login answered ${login.status}`);
  const loginCookie = cookieOf(login.setCookies, "incident_login")!;
  const authorizeUrl = new URL(login.location);
  const form = await get(authorizeUrl.toString());
  if (form.status !== 200) throw new Error(`authorize page answered ${form.status}: ${form.text}`);
  const allow = await get(authorizeUrl.toString(), undefined, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user: as.userId, team: as.teamId ?? "T0001" }).toString(),
  });
  if (allow.status !== 302 || !allow.location) throw new Error(`authorize POST answered ${allow.status}: ${allow.text}`);
  const callbackUrl = allow.location;
  const callback = await get(callbackUrl, loginCookie);
  return { authorizeUrl, loginCookie, callbackUrl, callback, session: cookieOf(callback.setCookies, "incident_session") };
}
