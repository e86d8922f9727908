import { ErrorCode, LogLevel, WebClient } from "@slack/web-api";

/** What Sign in with Slack asks of Slack: the code exchange and the user's profile. */
export interface OpenIdClient {
  /** openid.connect.token; throws OpenIdError with Slack's error code (invalid_code, bad_redirect_uri, …). */
  exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<{ idToken: string; accessToken: string }>;
  /** openid.connect.userInfo with the user token from the exchange. */
  userInfo(accessToken: string): Promise<Record<string, unknown>>;
}

export class OpenIdError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(`Sign in with Slack failed: ${code}`);
  }
}

/**
 * Its own tokenless WebClient: openid.connect.token authenticates with the app's client id and secret, and
 * userInfo with the user's token, never the bot token. Same base URL (SLACK_API_URL) and a short retry.
 */
export function slackOpenIdClient(opts: { apiUrl: string; clientId: string; clientSecret: string }): OpenIdClient {
  const client = new WebClient(undefined, {
    slackApiUrl: opts.apiUrl,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    logLevel: LogLevel.ERROR,
  });
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof OpenIdError) throw err;
      const e = err as { code?: string; data?: { error?: string } };
      if (e?.code === ErrorCode.PlatformError) throw new OpenIdError(e.data?.error ?? "unknown_error", false);
      throw new OpenIdError(e?.code === ErrorCode.HTTPError ? "slack_http_error" : "slack_unreachable", true);
    }
  };
  return {
    exchangeCode: (input) =>
      wrap(async () => {
        const r = await client.openid.connect.token({
          client_id: opts.clientId,
          client_secret: opts.clientSecret,
          code: input.code,
          redirect_uri: input.redirectUri,
          grant_type: "authorization_code",
          // PKCE (RFC 7636): a code stolen from the redirect is useless without the verifier we kept.
          code_verifier: input.codeVerifier,
        } as Parameters<typeof client.openid.connect.token>[0]);
        if (!r.id_token || !r.access_token) throw new OpenIdError("no_id_token", false);
        return { idToken: r.id_token, accessToken: r.access_token };
      }),
    userInfo: (accessToken) =>
      wrap(async () => {
        const r = await client.openid.connect.userInfo({ token: accessToken });
        return r as unknown as Record<string, unknown>;
      }),
  };
}
