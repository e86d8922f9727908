import type { AppContext } from "../context.js";
import { changeIncident } from "../incidents/change-incident.js";
import { queueIncidentMail } from "../mail/queue-mail.js";
import { meetClock } from "./meet-clock.js";

/**
 * Sends the leadership summary (impact, root cause, action items, timeline highlights) to
 * STAKEHOLDER_CHANNEL_ID. With no stakeholder channel it is posted in the incident channel instead, so it
 * is always sent somewhere, and the reply says what to set. Meets the leadership-summary clock.
 * The summary is worded when its job runs (src/slack/work/clock-notices.ts).
 */
export async function sendLeadershipSummary(ctx: AppContext, incidentId: number, actorId: string) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    const target = ctx.config.stakeholderChannelId ?? null;
    // No stakeholder channel: the summary itself is the announcement in the incident channel.
    await ctx.jobs.sendInTx(tx, "clockNotice", { kind: "leadership-summary", incidentId, channelId: target });
    await meetClock(tx, incidentId, "leadership_summary", now, actorId);
    // With email set up (SMTP_URL, MAIL_FROM, LEADERSHIP_EMAILS) the same summary is also emailed, from a durable job.
    const emailedTo = await queueIncidentMail(ctx, tx, { incidentId, kind: "leadership-summary", actorId });
    return {
      data: { leadershipSentAt: now },
      events: [
        {
          event: { kind: "summary.sent", data: { channel: target ?? inc.channelId } },
          text: target ? `Leadership summary sent to <#${target}>` : "Leadership summary posted in the incident channel",
        },
      ],
      ...(target ? { announce: { text: `📋 <@${actorId}> sent the leadership summary to <#${target}>.` } } : {}),
      result: { channel: target, emailedTo },
    };
  });
}
