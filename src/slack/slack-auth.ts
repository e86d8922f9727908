import { ChatError } from "../chat/port.js";
import type { Logger } from "../logger.js";
import type { SlackGateway } from "./gateway.js";

/** Answers of auth.test that mean the token itself is wrong: retrying cannot help, so start-up stops. */
const TOKEN_REJECTED = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired",
  "not_allowed_token_type",
  "no_permission",
  "team_access_not_granted",
]);

/** Slack refused the bot token at start-up; main.ts prints the message as one line and exits 1. */
export class SlackTokenRejected extends Error {}

export type BotIdentity = { botId: string; botUserId: string };

/** Whether Slack answered; /healthz reports "degraded" while it does not. */
export interface SlackHealth {
  reachable: boolean;
}

/** The innermost cause's code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, …): "fetch failed" alone says nothing. */
function reasonOf(err: unknown): string {
  let e = err as { cause?: unknown; code?: unknown; message?: string } | undefined;
  let reason = err instanceof ChatError ? err.code : String(e?.message ?? err);
  for (let depth = 0; e?.cause && depth < 5; depth++) {
    e = e.cause as typeof e;
    reason = typeof e?.code === "string" ? e.code : (e?.message ?? reason);
  }
  return reason;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms).unref()),
  ]);
}

/**
 * Who the bot is (auth.test), asked before serving. A rejected token throws SlackTokenRejected; Slack not answering
 * (refused, DNS, timeout, 5xx) is not fatal: the bot serves alerts and clocks, and `retry` keeps asking in the background.
 */
export async function checkSlackAuth(
  chat: SlackGateway,
  apiUrl: string,
  log: Logger,
): Promise<{ identity?: BotIdentity; health: SlackHealth; stop(): void }> {
  const health: SlackHealth = { reachable: false };
  const ask = async (): Promise<BotIdentity | undefined> => {
    const r = await withTimeout(chat.authTest(), 5000);
    return r.bot_id && r.user_id ? { botId: r.bot_id, botUserId: r.user_id } : undefined;
  };
  const rejected = (err: unknown) =>
    err instanceof ChatError && TOKEN_REJECTED.has(err.code)
      ? new SlackTokenRejected(
          `SLACK_BOT_TOKEN was rejected by Slack at ${apiUrl}: ${err.code}. Check the bot token (xoxb-…) of the installed app.`,
        )
      : undefined;
  try {
    const identity = await ask();
    health.reachable = true;
    return { identity, health, stop: () => {} };
  } catch (err) {
    const fatal = rejected(err);
    if (fatal) throw fatal;
    log.warn({ reason: reasonOf(err) }, `Slack is unreachable at ${apiUrl}: ${reasonOf(err)}; retrying`);
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let delay = 2000;
  const again = () => {
    timer = setTimeout(() => {
      ask().then(
        () => {
          health.reachable = true;
          log.info({ apiUrl }, "Slack answers again");
        },
        (err) => {
          if (stopped) return;
          const fatal = rejected(err);
          if (fatal) {
            log.error(fatal.message); // the bot keeps serving alerts; Slack work waits for a good token
            return;
          }
          delay = Math.min(delay * 2, 30_000);
          again();
        },
      );
    }, delay);
    timer.unref();
  };
  again();
  return {
    health,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
