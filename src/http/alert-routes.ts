import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { type Route, sendJson } from "./routes.js";
import { checkAlertRequest, MAX_ALERT_BODY_BYTES, NOT_CONFIGURED_ERROR } from "../alerts/http-intake.js";
import { readBodyCapped } from "./body.js";
import { ingestAlerts } from "../alerts/ingest-alerts.js";
import { IntakeMemo } from "../alerts/intake-memo.js";
import type { AlertSource } from "../alerts/normalize.js";

const SOURCES: AlertSource[] = ["alertmanager", "grafana", "pagerduty", "generic"];

/** `POST /alerts/<source>`: the contract's checks in order, then ingestion; 202 with what happened. */
export function alertRoutes(ctx: AppContext): Route[] {
  const routing = ctx.config.alertRouting; // read with the configuration: a bad file stops the app before it listens
  const options = { severity: routing.severity, thresholds: routing.thresholds };
  const memo = new IntakeMemo(); // one per app: its entries were normalised with this app's options
  return SOURCES.map((source) => ({
    path: `/alerts/${source}`,
    method: ["POST"],
    handler: (req, res) => handle(ctx, source, options, memo, req, res),
  }));
}

async function handle(
  ctx: AppContext,
  route: AlertSource,
  options: Parameters<typeof checkAlertRequest>[0]["options"],
  memo: IntakeMemo,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const token = ctx.config.alertWebhookToken;
  if (!token) return sendJson(res, 503, { error: NOT_CONFIGURED_ERROR });
  let body: Buffer;
  let tooLarge: boolean;
  try {
    ({ body, tooLarge } = await readBodyCapped(req, MAX_ALERT_BODY_BYTES));
  } catch {
    return; // the sender went away mid-body: nobody to answer
  }
  let checked: ReturnType<typeof checkAlertRequest>;
  try {
    checked = checkAlertRequest({ route, headers: req.headers, rawBody: body, tooLarge, token, options, memo });
  } catch (err) {
    // Checking reads only the request, so a throw here is this body tripping a bug of ours: a 5xx would make
    // the sender retry it forever. Logged as an error so the bug is seen.
    ctx.log.error({ err, route }, "alert request check failed");
    ctx.metrics.alerts.inc({ source: route, outcome: "rejected" });
    return sendJson(res, 400, { error: "invalid payload: it could not be processed" });
  }
  if (!checked.ok) {
    if (checked.status === 400) ctx.metrics.alerts.inc({ source: route, outcome: "rejected" });
    // After a 413 the reader drops the rest of the body as it comes, so the sender reads this answer.
    return sendJson(res, checked.status, checked.body);
  }
  for (const _ of checked.rejected) ctx.metrics.alerts.inc({ source: route, outcome: "rejected" });
  try {
    const { incidents } = await ingestAlerts(ctx, checked.alerts);
    sendJson(res, 202, { received: checked.received, accepted: checked.alerts.length, rejected: checked.rejected, incidents });
  } catch (err) {
    // Input was valid, so this is ours (usually the database): 503 tells senders to retry.
    ctx.log.error({ err, route }, "alert ingestion failed");
    if (!res.headersSent) sendJson(res, 503, { error: "alert ingestion is temporarily unavailable; retry later" }, { "retry-after": "5" });
  }
}
