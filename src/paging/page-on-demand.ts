import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { incidentDedupKey, queueTrigger } from "./queue-page.js";

export const PAGE_USAGE = "`/incident page [<@U…>|<schedule id>] <message>` — page the on-call through PagerDuty";

/**
 * `/incident page`: a PagerDuty alert of its own (dedup key `incident-bot/INC-<n>/page-<k>`) routed by the service's
 * escalation policy, with who asked, whom they want (a Slack user or a schedule, named in the details) and the message.
 */
export async function pageOnDemand(ctx: AppContext, incidentId: number, actorId: string, args: { target: string | null; message: string }) {
  if (!ctx.config.pagerduty) {
    throw new AppError("invalid", "Paging is not set up: set PAGERDUTY_ROUTING_KEY (see README, Reaching people beyond the channel).");
  }
  const message = args.message.trim();
  if (!message) throw new AppError("usage", "Say why you are paging.", PAGE_USAGE);
  if (message.length > 900) throw new AppError("invalid", `The message is ${message.length} characters; keep it under 900.`, PAGE_USAGE);
  return changeIncident(ctx, incidentId, actorId, async (tx) => {
    const k =
      (await tx.pageEvent.count({
        where: { incidentId, action: "trigger", dedupKey: { startsWith: `${incidentDedupKey(incidentId)}/page-` } },
      })) + 1;
    const dedupKey = `${incidentDedupKey(incidentId)}/page-${k}`;
    const text = args.target ? `${message} (for ${args.target})` : message;
    await queueTrigger(ctx, tx, incidentId, "paged from Slack", { actorId, message: text, dedupKey });
    return { result: { dedupKey } };
  });
}
