import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildOpenApi } from "../alerts/openapi.js";
import type { AppContext } from "../context.js";

export interface Route {
  /** Exact, or ending in `/*` for one more segment. */
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  // With the length known the answer is one plain write, not a chunked body.
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** How long a client should wait before asking again while the app starts (seconds, the Retry-After header). */
const STARTING_RETRY_AFTER_S = "5";

/**
 * The answer to every request while the app starts (the port is open before migrations and the job queue):
 * /healthz and /readyz say not yet (CONTRACT: /healthz is 200 only once the app's database answers, so a sender
 * that waits for it still finds the app serving), and every other route 503 with Retry-After, so Slack and alert
 * senders retry later.
 */
export function answerStarting(method: string, path: string, res: ServerResponse) {
  const retry = { "retry-after": STARTING_RETRY_AFTER_S };
  if ((path === "/healthz" || path === "/readyz") && (method === "GET" || method === "HEAD")) {
    return sendJson(res, 503, { status: "starting" }, retry);
  }
  sendJson(res, 503, { error: "the app is starting (migrations and the job queue are not ready yet); retry shortly" }, retry);
}

/** Health answers 200 only when the database answers; `onHealthy` lets start-up work wait for the first 200. */
export function healthRoutes(ctx: AppContext): Route[] {
  let openApi: Record<string, unknown> | undefined;
  return [
    {
      path: "/healthz",
      method: ["GET"],
      handler: async (_req, res) => {
        try {
          await ctx.prisma.$queryRaw`SELECT 1`;
          // Still 200 while Slack does not answer: alert senders keep sending, and alerts and clocks keep working.
          if (ctx.slackHealth && !ctx.slackHealth.reachable) sendJson(res, 200, { status: "degraded", slack: "unreachable" });
          else sendJson(res, 200, { status: "ok" });
        } catch (err) {
          ctx.log.warn({ err }, "health check: database does not answer");
          sendJson(res, 503, { status: "unavailable", error: "database does not answer" });
        }
      },
    },
    {
      // Readiness, for load balancers and rolling deploys: until migrations and the job queue are up, answerStarting
      // answers 503 "starting" (app.ts serves these routes only then); afterwards 200 while the database answers and
      // the app is not stopping.
      path: "/readyz",
      method: ["GET"],
      handler: async (_req, res) => {
        if (ctx.jobs.draining) return sendJson(res, 503, { status: "stopping" });
        try {
          await ctx.prisma.$queryRaw`SELECT 1`;
          sendJson(res, 200, { status: "ready" });
        } catch {
          sendJson(res, 503, { status: "unavailable", error: "database does not answer" });
        }
      },
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (req, res) => {
        const token = ctx.config.metricsToken;
        if (token && !bearerMatches(req.headers.authorization, token)) {
          sendJson(res, 401, { error: "missing or wrong bearer token (METRICS_TOKEN)" }, { "www-authenticate": "Bearer" });
          return;
        }
        try {
          ctx.metrics.openIncidents.set(await ctx.prisma.incident.count({ where: { status: { not: "resolved" } } }));
        } catch {
          // metrics still answer when the database is down
        }
        res.writeHead(200, { "content-type": ctx.metrics.registry.contentType });
        res.end(await ctx.metrics.registry.metrics());
      },
    },
    {
      path: "/openapi.json",
      method: ["GET"],
      handler: (_req, res) => sendJson(res, 200, (openApi ??= buildOpenApi())),
    },
  ];
}

/** Constant-time comparison of an `Authorization: Bearer …` header with the expected token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  const given = createHash("sha256").update(m[1]!.trim()).digest();
  return timingSafeEqual(given, createHash("sha256").update(token).digest());
}
