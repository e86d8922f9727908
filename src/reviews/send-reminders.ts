import { isSlackUserId } from "../chat/ids.js";
import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import { queuePost } from "../incidents/post-to-channel.js";
import { localDay, localHour } from "./local-time.js";
import { incidentRef } from "../incidents/naming.js";

/** Reminders go out from this local hour (TIMEZONE) so nobody is pinged at night. */
export const REMIND_FROM_HOUR = 9;

/** Job payloads of the `reminders` queue (its schema is in src/jobs/payloads.ts). */
export type ReminderJob = JobData<"reminders">;

/**
 * Once a day (from 09:00 in TIMEZONE): reminds the lead (or declarer) of each resolved incident whose review
 * is not complete, and chases open action items on and after their due date (DM to the owner + a line in
 * the incident channel). The day is claimed with a conditional update (lastRemindedOn / lastChasedOn), so
 * restarts and parallel processes send each reminder once.
 */
export async function sendReminders(ctx: AppContext): Promise<{ reviews: number[]; actionItems: number[] }> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const today = localDay(now, tz);
  const out = { reviews: [] as number[], actionItems: [] as number[] };
  if (localHour(now, tz) < REMIND_FROM_HOUR) return out;

  const reviews = await ctx.prisma.review.findMany({
    where: {
      completedAt: null,
      OR: [{ lastRemindedOn: null }, { lastRemindedOn: { not: today } }],
      incident: { status: "resolved", archivedAt: null, channelId: { not: null } },
    },
    include: { incident: true },
    take: 200,
  });
  for (const r of reviews) {
    const inc = r.incident;
    // Not on the day of resolution: the draft was just posted.
    if (!inc.resolvedAt || localDay(inc.resolvedAt, tz) >= today) continue;
    const who = isSlackUserId(inc.leadId) ? inc.leadId : isSlackUserId(inc.declaredBy) ? inc.declaredBy : null;
    const sent = await ctx.prisma.$transaction(async (tx) => {
      const claim = await tx.review.updateMany({
        where: { id: r.id, completedAt: null, lastRemindedOn: r.lastRemindedOn },
        data: { lastRemindedOn: today },
      });
      if (claim.count === 0) return false;
      const overdue = r.dueDate < today ? " — it is *overdue*" : "";
      await queuePost(
        ctx,
        tx,
        { incidentId: inc.id },
        {
          text: `⏰ ${who ? `<@${who}> ` : ""}Reminder: the post-incident review of ${incidentRef(inc.id)} is due ${r.dueDate}${overdue}. Add the impact and press "Mark review complete" on the review message when it is done.`,
        },
      );
      return true;
    });
    if (sent) out.reviews.push(inc.id);
  }

  const items = await ctx.prisma.actionItem.findMany({
    where: {
      status: "open",
      dueDate: { not: null, lte: today },
      OR: [{ lastChasedOn: null }, { lastChasedOn: { lt: today } }],
    },
    include: { incident: { select: { channelId: true, archivedAt: true } } },
    take: 500,
  });
  for (const a of items) {
    const sent = await ctx.prisma.$transaction(async (tx) => {
      const claim = await tx.actionItem.updateMany({
        where: { id: a.id, status: "open", lastChasedOn: a.lastChasedOn },
        data: { lastChasedOn: today },
      });
      if (claim.count === 0) return false;
      // Told by id: src/slack/work/review-notices.ts words the DM and the channel line when it sends them.
      await ctx.jobs.sendInTx(tx, "reminders", { kind: "action-item-dm", userId: a.ownerId, actionItemId: a.id, day: today });
      if (a.incident.channelId && !a.incident.archivedAt) {
        await ctx.jobs.sendInTx(tx, "reviewNotice", { kind: "action-item-due", actionItemId: a.id, day: today });
      }
      return true;
    });
    if (sent) out.actionItems.push(a.id);
  }
  return out;
}
