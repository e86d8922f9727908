import { deliveryId, takeDelivery } from "./delivery-dedupe.js";
import { type AnyMiddlewareArgs, App, type App as BoltApp, LogLevel, type Logger, type Middleware } from "@slack/bolt";
import type { AppContext } from "../context.js";
import { LISTENERS, type ListenerRegistrar, registerListeners } from "./listeners/index.js";
import { checkSlackBody, teamOf } from "./payloads.js";
import { SlackHttpReceiver } from "./receiver.js";

/**
 * Builds Bolt and registers every listener (src/slack/listeners/index.ts). No business logic here. In HTTP mode Bolt's receiver is ours
 * (src/slack/receiver.ts), served as the `/slack/events` route of the app's HTTP server; in Socket Mode Bolt
 * connects itself and the same payload checks run as the first middleware.
 */
export function createBoltApp(
  ctx: AppContext,
  listeners: ListenerRegistrar[] = LISTENERS,
  identity?: { botId: string; botUserId: string },
  requestWork: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): { bolt: BoltApp; receiver?: SlackHttpReceiver } {
  const { slack } = ctx.config;
  const common = {
    token: slack.botToken,
    // Known identity: Bolt skips its own auth.test, so the first requests never wait on Slack. Unknown (Slack was
    // unreachable at start-up): Bolt asks on the first request instead of at construction, where a failure is unhandled.
    ...(identity ?? { tokenVerificationEnabled: false }),
    logger: boltLogger(ctx.log),
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: slack.apiUrl },
  };
  const receiver = slack.socketMode
    ? undefined
    : new SlackHttpReceiver({ signingSecret: slack.signingSecret!, teamId: slack.teamId, log: ctx.log });
  const app = receiver ? new App({ ...common, receiver }) : new App({ ...common, socketMode: true, appToken: slack.appToken! });

  if (!receiver) {
    app.use(socketModeGuard(ctx));
    // Over HTTP the server's route wrap already counts this work; Socket Mode requests never pass through it.
    app.use(({ next }) => requestWork(next));
  }

  app.error(async (err) => {
    ctx.log.error({ err }, "unhandled error in a Slack listener");
  });

  registerListeners(app, ctx, listeners);
  return { bolt: app, receiver };
}

/** Bolt's and its Web API client's messages go to our JSON logger, never as plain text on stdout. */
export function boltLogger(log: AppContext["log"]): Logger {
  let level = LogLevel.WARN;
  const child = log.child({ lib: "slack" });
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

/** Socket Mode has no HTTP request to refuse: a malformed or foreign payload is acked and dropped, with a log line. */
function socketModeGuard(ctx: AppContext): Middleware<AnyMiddlewareArgs> {
  const { teamId } = ctx.config.slack;
  return async ({ body, next, ack }) => {
    const checked = checkSlackBody(body);
    const refusal = !checked.ok
      ? checked.error
      : teamId && teamOf(checked.payload) !== teamId
        ? "request from another workspace"
        : undefined;
    if (refusal) {
      ctx.log.warn({ refusal }, "Slack payload refused");
      const isCommand = checked.ok && checked.payload.kind === "command";
      if (ack)
        await (ack as (r?: unknown) => Promise<void>)(isCommand ? { text: "This app is not enabled for this workspace." } : undefined);
      return;
    }
    // Several connections (one per replica, up to Slack's 10): a delivery is handled by one of them only.
    const id = checked.ok ? deliveryId(checked.payload) : undefined;
    if (id && !(await takeDelivery(ctx, id))) {
      ctx.log.info({ delivery: id }, "Slack delivery already handled by another connection");
      if (ack) await (ack as () => Promise<void>)();
      return;
    }
    await next();
  };
}
