import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type App as BoltApp, HTTPReceiver, LogLevel } from "@slack/bolt";
import type { AppContext } from "../context.js";
import { inForeground } from "../db/pglite-gate.js";
import type { InFlight } from "../in-flight.js";
import type { Route } from "../http/routes.js";
import { register as registerItemActions } from "./listeners/actions/checklist-items.js";
import { register as registerIncidentCommand } from "./listeners/commands/incident.js";
import { register as registerIncidentViews } from "./listeners/views/incident-views.js";


export type ListenerRegistrar = (app: BoltApp, ctx: AppContext) => void;

/** Builds Bolt (HTTP receiver, or Socket Mode) and registers every listener. No business logic here. */
export function createBoltApp(
  ctx: AppContext,
  routes: Route[],
  extra: ListenerRegistrar[] = [],
  identity?: { botId: string; botUserId: string },
  inFlight?: InFlight,
): BoltApp {
  // Every request's work, including what runs after its ack, is counted so a graceful stop lets it finish;
  // and it goes before background jobs at the embedded database (see pglite-gate.ts).
  const requestWork = <T>(fn: () => Promise<T>): Promise<T> => (inFlight ? inFlight.track(() => inForeground(fn)) : inForeground(fn));
  const { slack } = ctx.config;
  const customRoutes = routes.map((r) => ({ ...r, handler: (req, res) => requestWork(async () => r.handler(req, res)) } satisfies Route));
  const common = {
    token: slack.botToken,
    // Known identity: Bolt skips its own auth.test, so the first requests never wait on Slack.
    ...(identity ?? {}),
    logLevel: LogLevel.WARN,
    clientOptions: { slackApiUrl: slack.apiUrl },
  };
  const app = slack.socketMode
    ? new App({ ...common, customRoutes, socketMode: true, appToken: slack.appToken!, installerOptions: { port: ctx.config.port } })
    : new App({ ...common, receiver: httpReceiver(slack.signingSecret!, customRoutes) });

  app.use(({ next }) => requestWork(next));

  app.error(async (err) => {
    ctx.log.error({ err }, "unhandled error in a Slack listener");
  });

  // SLACK_TEAM_ID: requests from any other workspace are refused (commands get a clear reply).
  if (slack.teamId) {
    app.use(async ({ body, next, ack, context }) => {
      const b = body as any;
      const team = b.team_id ?? b.team?.id ?? b.user?.team_id ?? context.teamId;
      if (team && team !== slack.teamId) {
        ctx.log.warn({ team }, "request from another workspace refused");
        if (ack) await (ack as any)(b.command ? { text: "This app is not enabled for this workspace." } : undefined);
        return;
      }
      await next();
    });
  }

  for (const register of [registerIncidentCommand, registerItemActions, registerIncidentViews, ...extra]) {
    register(app, ctx);
  }
  return app;
}

/**
 * Bolt's HTTP receiver (the one `new App({ signingSecret })` builds), with one change: a request for one of our
 * routes by its exact path goes straight to it. Bolt matches custom routes by compiling each route's
 * path-to-regexp pattern again on every request, which was ~7 % of the app's CPU in the alert storm (see
 * bench/alerts.ts). Anything else (Slack's events, other paths, other methods) goes through Bolt unchanged.
 */
function httpReceiver(signingSecret: string, routes: Route[]): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret, customRoutes: routes, processBeforeResponse: false, logLevel: LogLevel.WARN });
  const byPath = new Map(routes.map((r) => [r.path, r]));
  const bolt = receiver.requestListener;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const route = byPath.get(q < 0 ? url : url.slice(0, q));
    if (route && route.method.includes(req.method ?? "")) return void route.handler(req, res);
    return bolt(req, res);
  };
  return receiver;
}
