import { z } from "zod";
import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { changeIncident } from "../incidents/change-incident.js";
import { queueReviewRefresh } from "../reviews/queue-review-refresh.js";

/** The part of a Jira webhook body the bot reads; the rest (custom fields, changelog, …) passes through unread. */
const JiraWebhookSchema = z.looseObject({
  webhookEvent: z.string({ message: "webhookEvent is required (a Jira webhook body, e.g. jira:issue_updated)" }),
  timestamp: z.number().optional(),
  user: z.looseObject({ accountId: z.string().optional(), displayName: z.string().optional() }).optional(),
  issue: z
    .looseObject({
      key: z.string({ message: "issue.key is required" }),
      fields: z
        .looseObject({
          status: z
            .looseObject({ name: z.string().optional(), statusCategory: z.looseObject({ key: z.string().optional() }).optional() })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export type JiraWebhookEvent = z.infer<typeof JiraWebhookSchema>;

/** The body checked: an event, or one line saying what is wrong (dotted paths), for a 400. */
export function parseJiraEvent(json: unknown): { ok: true; event: JiraWebhookEvent } | { ok: false; error: string } {
  const parsed = JiraWebhookSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return { ok: false, error: `${i.path.length ? `${i.path.join(".")}: ` : ""}${i.message}` };
  }
  if (parsed.data.webhookEvent === "jira:issue_updated" && !parsed.data.issue) {
    return { ok: false, error: "issue: a jira:issue_updated event needs its issue" };
  }
  return { ok: true, event: parsed.data };
}

export type JiraEventOutcome =
  { handled: "closed"; actionItemId: number; incident: number } | { handled: "ignored"; reason: string; actionItemId?: number };

/**
 * A Jira webhook: an issue of an action item that reached a done status category closes the item (timeline event,
 * channel line, review message refreshed). Anything else is answered and ignored: other events, other statuses,
 * issues the bot did not create. Each delivery (X-Atlassian-Webhook-Identifier, the same on Jira's retries) counts once.
 */
export async function receiveJiraEvent(ctx: AppContext, deliveryId: string | null, event: JiraWebhookEvent): Promise<JiraEventOutcome> {
  if (event.webhookEvent !== "jira:issue_updated") return { handled: "ignored", reason: `event ${event.webhookEvent} is not read` };
  const key = event.issue!.key;
  const item = await ctx.prisma.actionItem.findUnique({ where: { jiraKey: key } });
  if (!item) return { handled: "ignored", reason: `${key} is not an action item's issue` };
  const category = event.issue!.fields?.status?.statusCategory?.key;
  if (category !== "done")
    return { handled: "ignored", reason: `${key} is not done (status category ${category ?? "unknown"})`, actionItemId: item.id };
  if (item.status === "done") return { handled: "ignored", reason: `action item #${item.id} is already done`, actionItemId: item.id };
  const by = event.user?.displayName ?? event.user?.accountId ?? null;
  const status = event.issue!.fields?.status?.name ?? "Done";
  try {
    const { result } = await changeIncident(ctx, item.incidentId, `jira:${by ?? "webhook"}`, async (tx, _inc, now) => {
      if (deliveryId) await tx.webhookDelivery.create({ data: { id: `jira:${deliveryId}`, source: "jira" } });
      const done = await tx.actionItem.updateMany({ where: { id: item.id, status: "open" }, data: { status: "done", completedAt: now } });
      if (done.count === 0) return { result: false };
      await ctx.jobs.sendInTx(tx, "outreachNotice", { kind: "jira-done", actionItemId: item.id, by, status });
      await queueReviewRefresh(ctx, tx, item.incidentId);
      return {
        events: [
          {
            event: { kind: "action_item.completed", data: { actionItemId: item.id, via: "jira", issueKey: key } },
            text: `Action item #${item.id} done: its Jira issue ${key} is ${status}${by ? ` (${by})` : ""}`,
          },
        ],
        result: true,
      };
    });
    if (!result) return { handled: "ignored", reason: `action item #${item.id} is already done`, actionItemId: item.id };
  } catch (e) {
    // The delivery id is a primary key: Jira's retry (or the same delivery at another replica) lands here.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return { handled: "ignored", reason: "delivery already received", actionItemId: item.id };
    }
    throw e;
  }
  return { handled: "closed", actionItemId: item.id, incident: item.incidentId };
}
