import { z } from "zod";

/** Why a sign-in is refused; each code has its own page text in the web routes. */
export class SignInError extends Error {
  constructor(
    readonly code: "bad_request" | "state" | "slack_refused" | "slack_unreachable" | "id_token" | "foreign_team",
    message: string,
  ) {
    super(message);
  }
}

const SLACK_ISSUER = "https://slack.com";
/** Clock skew we accept between Slack and us when checking `exp` / `iat`. */
const SKEW_SECONDS = 120;

const ClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  nonce: z.string().optional(),
  "https://slack.com/user_id": z.string().regex(/^[UW][A-Z0-9]{2,}$/),
  "https://slack.com/team_id": z.string().regex(/^[TE][A-Z0-9]{2,}$/),
  name: z.string().optional(),
});

export interface SignedInUser {
  userId: string;
  teamId: string;
  name: string | undefined;
}

/**
 * Checks the id_token from openid.connect.token: issuer, audience, expiry, our nonce, and the workspace.
 * The signature is not checked: the token came to us straight from Slack's token endpoint over TLS, which
 * OpenID Connect Core §3.1.3.7 (6) allows in place of the signature; nothing a browser sent is trusted.
 */
export function checkIdToken(
  idToken: string,
  expect: { clientId: string; nonce: string; teamId: string | undefined; now: Date },
): SignedInUser {
  const parts = idToken.split(".");
  if (parts.length !== 3) throw new SignInError("id_token", "Slack's answer had no readable id_token.");
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
  } catch {
    throw new SignInError("id_token", "Slack's id_token could not be read.");
  }
  const parsed = ClaimsSchema.safeParse(raw);
  if (!parsed.success) throw new SignInError("id_token", "Slack's id_token lacks the user or workspace.");
  const c = parsed.data;
  const nowSec = Math.floor(expect.now.getTime() / 1000);
  const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (c.iss !== SLACK_ISSUER) throw new SignInError("id_token", "The id_token was not issued by Slack.");
  if (!audiences.includes(expect.clientId)) throw new SignInError("id_token", "The id_token was issued to another app.");
  if (c.exp + SKEW_SECONDS < nowSec) throw new SignInError("id_token", "The id_token has expired; sign in again.");
  if (c.iat - SKEW_SECONDS > nowSec) throw new SignInError("id_token", "The id_token is from the future; check the server's clock.");
  if (c.nonce !== expect.nonce) throw new SignInError("id_token", "The id_token does not belong to this sign-in (nonce).");
  if (c.sub !== c["https://slack.com/user_id"]) throw new SignInError("id_token", "The id_token's user is inconsistent.");
  const teamId = c["https://slack.com/team_id"];
  if (expect.teamId && teamId !== expect.teamId) {
    throw new SignInError("foreign_team", "This bot serves another Slack workspace: sign in with an account of that workspace.");
  }
  return { userId: c.sub, teamId, name: c.name };
}
