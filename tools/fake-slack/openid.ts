// Sign in with Slack (OpenID Connect) on the fake, after Slack's docs: the authorize page
// (GET /openid/connect/authorize?response_type=code&scope=openid…&client_id&state&nonce&redirect_uri), which
// here asks "who are you" instead of a real Slack login and redirects back with `code` and `state`;
// openid.connect.token (client_id + client_secret + code + redirect_uri, optional PKCE code_verifier) answering
// access_token / token_type / id_token (an RS256 JWT with Slack's claims, keys at /openid/connect/keys); and
// openid.connect.userInfo (Bearer access token). Codes are single-use and expire after 10 minutes.
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { TEAM_ID } from "./workspace.js";

export const FAKE_CLIENT_ID = "1111111111.2222222222";
export const FAKE_CLIENT_SECRET = "fake-client-secret-0123456789abcdef";
const ISSUER = "https://slack.com";
const CODE_TTL_MS = 10 * 60_000;

interface IssuedCode {
  clientId: string;
  redirectUri: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  userId: string;
  teamId: string;
  expiresAt: number;
  used: boolean;
}

export interface OpenIdIdentity {
  userId: string;
  teamId?: string;
  name?: string;
  email?: string;
}

export class FakeOpenId {
  /** Registered apps (client id → secret); one is known from the start. */
  readonly clients = new Map<string, string>([[FAKE_CLIENT_ID, FAKE_CLIENT_SECRET]]);
  /** Who the authorize page signs in when a test follows it without filling the form (GET with `auto=1`, or `signInAs`). */
  signInAs: OpenIdIdentity = { userId: "U0WEBUSER" };
  /** Every authorize request seen (its query), for assertions on state / nonce / scope. */
  readonly authorizeRequests: Record<string, string>[] = [];
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, { userId: string; teamId: string }>();
  private readonly names = new Map<string, string>();
  private keyPair: { key: KeyObject; jwk: Record<string, unknown> } | undefined;
  readonly kid = "fake-slack-key-1";

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** The signing key, made on first use (most fakes never sign anyone in). */
  private keys_(): { key: KeyObject; jwk: Record<string, unknown> } {
    if (!this.keyPair) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      this.keyPair = { key: privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid: this.kid, alg: "RS256", use: "sig" } };
    }
    return this.keyPair;
  }

  /** A display name for a user's claims (default: the user id). */
  setName(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  /** GET shows the sign-in form; POST (the form) issues a code and redirects back to redirect_uri. */
  handleAuthorize(req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse): void {
    const q = Object.fromEntries(url.searchParams);
    const form = req.method === "POST" ? Object.fromEntries(new URLSearchParams(body.toString("utf8"))) : {};
    const p = { ...q, ...form };
    if (req.method === "GET") this.authorizeRequests.push(q);
    const problem = this.checkAuthorize(p);
    if (problem) return html(res, 400, page("Sign in with Slack: error", `<p role="alert">${esc(problem)}</p>`));
    if (req.method === "GET" && p.auto !== "1") return html(res, 200, this.form(p));
    const userId = (form.user ?? this.signInAs.userId).trim();
    const teamId = (form.team ?? this.signInAs.teamId ?? TEAM_ID).trim();
    if (!/^[UW][A-Z0-9]{2,}$/.test(userId))
      return html(res, 400, page("Sign in with Slack: error", `<p role="alert">Enter a user id like U0123ABC.</p>`));
    const code = `${Date.now()}.${randomBytes(24).toString("hex")}`;
    this.codes.set(code, {
      clientId: p.client_id!,
      redirectUri: p.redirect_uri,
      nonce: p.nonce,
      codeChallenge: p.code_challenge,
      userId,
      teamId,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    });
    const back = new URL(p.redirect_uri!);
    back.searchParams.set("code", code);
    if (p.state !== undefined) back.searchParams.set("state", p.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private checkAuthorize(p: Record<string, string | undefined>): string | undefined {
    if (p.response_type !== "code") return "response_type must be code";
    if (!p.client_id || !this.clients.has(p.client_id)) return "invalid_client_id";
    const scopes = (p.scope ?? "").split(/[\s,+]+/).filter(Boolean);
    if (!scopes.includes("openid")) return "invalid_scope: openid is required";
    if (!p.redirect_uri || !/^https?:\/\//.test(p.redirect_uri)) return "bad_redirect_uri";
    if (p.code_challenge && p.code_challenge_method !== "S256") return "code_challenge_method must be S256";
    return undefined;
  }

  private form(p: Record<string, string | undefined>): string {
    const hidden = Object.entries(p)
      .filter(([k]) => k !== "user" && k !== "team" && k !== "auto")
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v ?? "")}">`)
      .join("");
    return page(
      "Sign in with Slack (fake)",
      `<h1>Sign in to Fake Workspace</h1>
<p>This is the fake Slack's authorize page. Choose who signs in.</p>
<form method="post" action="/openid/connect/authorize?${esc(new URLSearchParams(p as Record<string, string>).toString())}">${hidden}
<p><label for="user">Slack user id</label> <input id="user" name="user" value="${esc(this.signInAs.userId)}" autocomplete="off"></p>
<p><label for="team">Workspace (team id)</label> <input id="team" name="team" value="${esc(this.signInAs.teamId ?? TEAM_ID)}"></p>
<p><button type="submit" id="allow">Allow</button></p>
</form>`,
    );
  }

  /** openid.connect.token: client credentials in the form (or HTTP basic), the code once, the same redirect_uri. */
  token(args: Record<string, any>, authorization: string | undefined): Record<string, unknown> {
    let clientId = args.client_id as string | undefined;
    let secret = args.client_secret as string | undefined;
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? "")?.[1];
    if (basic) [clientId, secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    if (args.grant_type && args.grant_type !== "authorization_code") return { ok: false, error: "invalid_grant_type" };
    if (!clientId || !this.clients.has(clientId)) return { ok: false, error: "invalid_client_id" };
    if (this.clients.get(clientId) !== secret) return { ok: false, error: "bad_client_secret" };
    const issued = typeof args.code === "string" ? this.codes.get(args.code) : undefined;
    if (!issued || issued.clientId !== clientId || issued.expiresAt < this.now()) return { ok: false, error: "invalid_code" };
    if (issued.used) return { ok: false, error: "invalid_code" };
    if (issued.redirectUri !== undefined && issued.redirectUri !== args.redirect_uri) return { ok: false, error: "bad_redirect_uri" };
    if (issued.codeChallenge) {
      const verifier = typeof args.code_verifier === "string" ? args.code_verifier : "";
      if (createHash("sha256").update(verifier).digest("base64url") !== issued.codeChallenge)
        return { ok: false, error: "invalid_code_verifier" };
    }
    issued.used = true;
    const accessToken = `xoxp-${randomBytes(16).toString("hex")}`;
    this.tokens.set(accessToken, { userId: issued.userId, teamId: issued.teamId });
    const nowSec = Math.floor(this.now() / 1000);
    const claims = {
      iss: ISSUER,
      sub: issued.userId,
      aud: clientId,
      exp: nowSec + 300,
      iat: nowSec,
      auth_time: nowSec,
      ...(issued.nonce !== undefined ? { nonce: issued.nonce } : {}),
      at_hash: createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url"),
      ...this.profile(issued.userId, issued.teamId),
    };
    return { ok: true, access_token: accessToken, token_type: "Bearer", id_token: this.sign(claims) };
  }

  /** openid.connect.userInfo: the signed-in user's claims for a user token from openid.connect.token. */
  userInfo(authorization: string | undefined, args: Record<string, any>): Record<string, unknown> {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1] ?? args.token;
    if (!token) return { ok: false, error: "not_authed" };
    const who = this.tokens.get(token);
    if (!who) return { ok: false, error: "invalid_auth" };
    return { ok: true, sub: who.userId, ...this.profile(who.userId, who.teamId) };
  }

  /** The JWKS Slack publishes at /openid/connect/keys. */
  keys(): Record<string, unknown> {
    return { keys: [this.keys_().jwk] };
  }

  private profile(userId: string, teamId: string) {
    const name = this.names.get(userId) ?? userId;
    return {
      "https://slack.com/user_id": userId,
      "https://slack.com/team_id": teamId,
      "https://slack.com/team_name": teamId === TEAM_ID ? "Fake Workspace" : "Another Workspace",
      "https://slack.com/team_domain": teamId === TEAM_ID ? "fake-workspace" : "another-workspace",
      email: `${userId.toLowerCase()}@fake.slack.test`,
      email_verified: true,
      name,
      given_name: name,
      locale: "en-US",
    };
  }

  private sign(claims: Record<string, unknown>): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = `${enc({ alg: "RS256", typ: "JWT", kid: this.kid })}.${enc(claims)}`;
    const sig = createSign("RSA-SHA256").update(input).sign(this.keys_().key).toString("base64url");
    return `${input}.${sig}`;
  }
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body><main>${body}</main></body></html>`;
}

function html(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(text);
}
