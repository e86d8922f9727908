import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { checkJiraSecret } from "../jira/webhook-auth.js";
import { parseJiraEvent, receiveJiraEvent } from "../jira/receive-jira-event.js";
import { readBodyCapped } from "./body.js";
import { type Route, sendJson } from "./routes.js";

const MAX_BODY_BYTES = 1_048_576;

/** `POST /webhooks/jira`: Jira Cloud issue webhooks (secret checked); a done issue closes its action item. */
export function jiraRoutes(ctx: AppContext): Route[] {
  return [{ path: "/webhooks/jira", method: ["POST"], handler: (req, res) => handle(ctx, req, res) }];
}

async function handle(ctx: AppContext, req: IncomingMessage, res: ServerResponse) {
  const secret = ctx.config.jira?.webhookSecret;
  if (!secret) {
    return sendJson(res, 503, {
      error: ctx.config.jira
        ? "Jira webhooks are not configured: set JIRA_WEBHOOK_SECRET"
        : "Jira is not configured: set JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT_KEY and JIRA_WEBHOOK_SECRET",
    });
  }
  let body: Buffer;
  let tooLarge: boolean;
  try {
    ({ body, tooLarge } = await readBodyCapped(req, MAX_BODY_BYTES));
  } catch {
    return; // the sender went away mid-body
  }
  if (tooLarge) return sendJson(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` });
  // Authenticity first: nothing about an unauthenticated body is worth telling its sender.
  const url = new URL(req.url ?? "/", "http://localhost");
  const auth = checkJiraSecret(req.headers, url, body, secret);
  if (!auth.ok) return sendJson(res, 401, { error: auth.error });
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return sendJson(res, 400, { error: "body is not valid JSON" });
  }
  const parsed = parseJiraEvent(json);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  const raw = req.headers["x-atlassian-webhook-identifier"];
  const deliveryId = (Array.isArray(raw) ? raw[0] : raw)?.trim() || null;
  try {
    sendJson(res, 200, await receiveJiraEvent(ctx, deliveryId, parsed.event));
  } catch (err) {
    // A valid delivery we could not store (usually the database): 503, and Jira retries it.
    ctx.log.error({ err, delivery: deliveryId }, "jira webhook failed");
    if (!res.headersSent)
      sendJson(res, 503, { error: "Jira webhook handling is temporarily unavailable; retry later" }, { "retry-after": "5" });
  }
}
