import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { cadenceSeconds, nextUpdateSeconds } from "./cadence.js";
import { startCadence } from "./evaluate-clocks.js";
import { queueIncidentMail } from "../mail/queue-mail.js";
import { meetClock } from "./meet-clock.js";

export const UPDATE_USAGE = "`/incident update <text>` — post a stakeholder update (stakeholder channel and this channel)";

/**
 * A human stakeholder update: posted to STAKEHOLDER_CHANNEL_ID (when set) and the incident channel with
 * title, severity, status and the next update time. Meets the product-update clock and restarts the
 * automatic cadence, so the next automatic post comes one cadence after this one.
 */
export async function postStakeholderUpdate(ctx: AppContext, incidentId: number, actorId: string, rawText: string) {
  const text = rawText.trim();
  if (!text) throw new AppError("usage", "An update needs some text for stakeholders.", UPDATE_USAGE);
  if (text.length > 2500) throw new AppError("invalid", `The update is ${text.length} characters; keep it under 2500.`, UPDATE_USAGE);
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    await meetClock(tx, incidentId, "product_update", now, actorId);
    const every = cadenceSeconds(ctx.config, inc.severity);
    const nextUpdateAt =
      every !== null && inc.status !== "resolved"
        ? await startCadence(ctx, tx, incidentId, every, now)
        : new Date(now.getTime() + nextUpdateSeconds(ctx.config, inc.severity) * 1000);
    // The same update in both channels, worded when each job runs (src/slack/work/clock-notices.ts).
    const update = {
      kind: "stakeholder-update",
      incidentId,
      status: inc.status,
      text,
      authorId: actorId,
      automatic: false,
      nextUpdateAt: nextUpdateAt.toISOString(),
    } as const;
    const channels: string[] = [];
    const stakeholders = ctx.config.stakeholderChannelId;
    if (stakeholders && stakeholders !== inc.channelId) {
      await ctx.jobs.sendInTx(tx, "clockNotice", { ...update, channelId: stakeholders });
      channels.push(stakeholders);
    }
    if (inc.channelId) channels.push(inc.channelId);
    await ctx.jobs.sendInTx(tx, "clockNotice", { ...update, channelId: null });
    // With email set up (SMTP_URL, MAIL_FROM, PRODUCT_EMAILS) the update is also emailed, from a durable job.
    const emailedTo = await queueIncidentMail(ctx, tx, { incidentId, kind: "product-update", actorId, body: text, nextUpdateAt });
    return {
      events: [{ event: { kind: "stakeholder.update", data: { channels, automatic: false } }, text }],
      result: { nextUpdateAt, channels, stakeholderChannel: stakeholders ?? null, emailedTo },
    };
  });
}
