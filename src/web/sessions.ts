import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../context.js";
import type { OpenIdClient } from "../slack/openid.js";
import { OpenIdError } from "../slack/openid.js";
import { checkIdToken, SignInError } from "./id-token.js";

/** How long a started sign-in may take to come back from Slack. */
const LOGIN_TTL_MS = 10 * 60_000;
/** lastSeenAt is written at most this often (not on every page view). */
const SEEN_EVERY_MS = 60_000;

export const hashToken = (t: string) => createHash("sha256").update(t).digest("hex");
const randomToken = () => randomBytes(32).toString("base64url");

export interface WebSession {
  userId: string;
  teamId: string;
  userName: string | null;
  csrfToken: string;
  expiresAt: Date;
}

/** Same-length constant-time comparison of two strings (tokens, CSRF values). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Only our own pages may be where a sign-in returns to (no open redirect). */
export function safeReturnTo(next: string | undefined): string {
  if (!next || !/^\/app(\/[A-Za-z0-9\-_.~%/?=&+,]*)?$/.test(next) || next.includes("//") || next.includes("/..")) return "/app/incidents";
  if (next.startsWith("/app/login") || next.startsWith("/app/callback") || next.startsWith("/app/logout")) return "/app/incidents";
  return next;
}

/**
 * Starts a sign-in: a fresh state (kept hashed, single-use), nonce and PKCE verifier. Returns the authorize URL
 * and the state, which the caller also puts in a cookie to bind the callback to this browser.
 */
export async function startSignIn(ctx: AppContext, next: string | undefined): Promise<{ url: string; state: string }> {
  const web = ctx.config.web!;
  const now = ctx.clock.now();
  const state = randomToken();
  const nonce = randomToken();
  const codeVerifier = randomToken();
  // Abandoned attempts are cleared as new ones start, so the table stays small.
  await ctx.prisma.webLoginState.deleteMany({ where: { expiresAt: { lt: now } } });
  await ctx.prisma.webLoginState.create({
    data: {
      id: hashToken(state),
      nonce,
      codeVerifier,
      returnTo: safeReturnTo(next),
      createdAt: now,
      expiresAt: new Date(now.getTime() + LOGIN_TTL_MS),
    },
  });
  const url = new URL(web.oauthUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid profile");
  url.searchParams.set("client_id", web.clientId);
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  url.searchParams.set("redirect_uri", web.redirectUri);
  url.searchParams.set("code_challenge", createHash("sha256").update(codeVerifier).digest("base64url"));
  url.searchParams.set("code_challenge_method", "S256");
  if (ctx.config.slack.teamId) url.searchParams.set("team", ctx.config.slack.teamId);
  return { url: url.toString(), state };
}

/**
 * Finishes a sign-in from Slack's redirect: the state must be the one this browser started (cookie), unused and
 * fresh; the code is exchanged, the id_token checked (nonce, team). Returns the new session's cookie token.
 */
export async function finishSignIn(
  ctx: AppContext,
  openid: OpenIdClient,
  input: { code: string; state: string; cookieState: string | undefined },
): Promise<{ token: string; returnTo: string; session: WebSession }> {
  const web = ctx.config.web!;
  if (!input.cookieState || !sameSecret(input.cookieState, input.state)) {
    throw new SignInError("state", "This sign-in was not started in this browser (or it took too long). Start again.");
  }
  const now = ctx.clock.now();
  const id = hashToken(input.state);
  // Taking the state and marking it used is one conditional update: a replayed callback finds it used.
  const taken = await ctx.prisma.webLoginState.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  if (taken.count !== 1) throw new SignInError("state", "This sign-in link has expired or was already used. Start again.");
  const attempt = await ctx.prisma.webLoginState.findUniqueOrThrow({ where: { id } });
  let tokens: { idToken: string; accessToken: string };
  try {
    tokens = await openid.exchangeCode({ code: input.code, redirectUri: web.redirectUri, codeVerifier: attempt.codeVerifier });
  } catch (err) {
    if (err instanceof OpenIdError && !err.retryable)
      throw new SignInError("slack_refused", `Slack refused the sign-in (${err.code}). Start again.`);
    throw new SignInError("slack_unreachable", "Slack could not be reached to finish the sign-in. Try again in a moment.");
  }
  const user = checkIdToken(tokens.idToken, { clientId: web.clientId, nonce: attempt.nonce, teamId: ctx.config.slack.teamId, now });
  let name = user.name ?? null;
  try {
    const info = await openid.userInfo(tokens.accessToken);
    if (info["https://slack.com/user_id"] !== user.userId || info["https://slack.com/team_id"] !== user.teamId) {
      throw new SignInError("id_token", "Slack's profile does not match the id_token.");
    }
    if (typeof info.name === "string") name = info.name;
  } catch (err) {
    if (err instanceof SignInError) throw err;
    ctx.log.warn({ code: (err as OpenIdError).code }, "openid.connect.userInfo failed; signing in with the id_token's name");
  }
  const token = randomToken();
  const session: WebSession = {
    userId: user.userId,
    teamId: user.teamId,
    userName: name,
    csrfToken: randomToken(),
    expiresAt: new Date(now.getTime() + web.sessionSeconds * 1000),
  };
  await ctx.prisma.webSession.create({ data: { id: hashToken(token), ...session, createdAt: now, lastSeenAt: now } });
  ctx.log.info({ userId: user.userId, teamId: user.teamId }, "web sign-in");
  return { token, returnTo: attempt.returnTo, session };
}

/** The session behind a cookie token, if it exists, is not revoked or expired, and belongs to our workspace. */
export async function readSession(ctx: AppContext, token: string | undefined): Promise<WebSession | null> {
  if (!token || token.length > 100) return null;
  const row = await ctx.prisma.webSession.findUnique({ where: { id: hashToken(token) } });
  const now = ctx.clock.now();
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  if (ctx.config.slack.teamId && row.teamId !== ctx.config.slack.teamId) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await ctx.prisma.webSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return { userId: row.userId, teamId: row.teamId, userName: row.userName, csrfToken: row.csrfToken, expiresAt: row.expiresAt };
}

/** Signs out: this session, or (everywhere) every session of its user. */
export async function revokeSession(ctx: AppContext, token: string, everywhere: boolean): Promise<number> {
  const now = ctx.clock.now();
  const row = await ctx.prisma.webSession.findUnique({ where: { id: hashToken(token) } });
  if (!row) return 0;
  const where = everywhere ? { userId: row.userId, revokedAt: null } : { id: row.id, revokedAt: null };
  const r = await ctx.prisma.webSession.updateMany({ where, data: { revokedAt: now } });
  return r.count;
}

/** Revokes every web session of a user (an admin action, e.g. someone left the company). */
export async function revokeUserSessions(ctx: AppContext, userId: string): Promise<number> {
  const r = await ctx.prisma.webSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: ctx.clock.now() } });
  return r.count;
}
