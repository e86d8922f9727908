import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context.js";
import { checkJiraSecret } from "../jira/webhook-auth.js";
import { parseJiraEvent, receiveJiraEvent } from "../jira/receive-jira-event.js";
import { type Route, sendJson } from "./routes.js";
import { answerDelivery, parseJsonOr400, readWebhookBody } from "./webhook.js";

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
  const body = await readWebhookBody(req, res);
  if (!body) return;
  // Authenticity first: nothing about an unauthenticated body is worth telling its sender.
  const url = new URL(req.url ?? "/", "http://localhost");
  const auth = checkJiraSecret(req.headers, url, body, secret);
  if (!auth.ok) return sendJson(res, 401, { error: auth.error });
  const json = parseJsonOr400(res, body);
  if (!json) return;
  const parsed = parseJiraEvent(json.value);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.error });
  const raw = req.headers["x-atlassian-webhook-identifier"];
  const deliveryId = (Array.isArray(raw) ? raw[0] : raw)?.trim() || null;
  await answerDelivery(res, ctx.log, "Jira", deliveryId, () => receiveJiraEvent(ctx, deliveryId, parsed.event));
}
