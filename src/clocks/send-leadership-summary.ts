import { leadershipSummaryMessage } from "../../blocks/stakeholder.js";
import type { AppContext } from "../context.js";
import { changeIncident } from "../incidents/change-incident.js";
import { incidentRef } from "../incidents/naming.js";
import { queuePost } from "../incidents/post-to-channel.js";
import { meetClock } from "./meet-clock.js";

/**
 * Sends the leadership summary (impact, root cause, action items, timeline highlights) to
 * STAKEHOLDER_CHANNEL_ID. With no stakeholder channel it is posted in the incident channel instead, so it
 * is always sent somewhere, and the reply says what to set. Meets the leadership-summary clock.
 */
export async function sendLeadershipSummary(ctx: AppContext, incidentId: number, actorId: string) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    const actionItems = await tx.actionItem.findMany({ where: { incidentId }, orderBy: { id: "asc" }, take: 20 });
    const impactParts = [
      inc.summary ?? inc.title,
      inc.service ? `Affected: ${inc.service}.` : null,
      inc.userFacing ? "End users are affected." : "No end-user impact recorded.",
    ];
    const message = leadershipSummaryMessage({
      inc: {
        ref: incidentRef(incidentId),
        title: inc.title,
        severity: inc.severity,
        status: inc.status,
        channelId: inc.channelId,
        category: inc.category,
        service: inc.service,
        userFacing: inc.userFacing,
      },
      impact: impactParts.filter(Boolean).join(" "),
      rootCause: inc.rootCause ?? (inc.status === "resolved" ? inc.resolutionSummary : null),
      actionItems,
      highlights: [
        { label: "Detected", at: inc.detectedAt },
        { label: "Declared", at: inc.declaredAt },
        { label: "Acknowledged", at: inc.acknowledgedAt },
        { label: "Root cause identified", at: inc.identifiedAt },
        { label: "Mitigated", at: inc.mitigatedAt },
        { label: "Resolved", at: inc.resolvedAt },
      ],
      timezone: ctx.config.timezone,
    });
    const target = ctx.config.stakeholderChannelId ?? null;
    if (target) await queuePost(ctx, tx, { channelId: target }, message);
    await meetClock(tx, incidentId, "leadership_summary", now, actorId);
    return {
      data: { leadershipSentAt: now },
      events: [
        {
          event: { kind: "summary.sent", data: { channel: target ?? inc.channelId } },
          text: target ? `Leadership summary sent to <#${target}>` : "Leadership summary posted in the incident channel",
        },
      ],
      // No stakeholder channel: the summary itself is the announcement in the incident channel.
      announce: target ? { text: `📋 <@${actorId}> sent the leadership summary to <#${target}>.` } : message,
      result: { channel: target },
    };
  });
}
