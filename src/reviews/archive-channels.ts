import type { Config } from "../config.js";
import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { queuePost } from "../incidents/post-to-channel.js";
import { recordEvent } from "../timeline/record-event.js";
import { localDay } from "./local-time.js";
import { incidentRef } from "../incidents/naming.js";

const DAY_MS = 86_400_000;

/** Archive ARCHIVE_AFTER_DAYS after the review is complete; warn one day before. */
export function archiveSchedule(config: Config, completedAt: Date) {
  const archiveAt = new Date(completedAt.getTime() + config.archiveAfterDays * DAY_MS);
  return { archiveAt, warnAt: new Date(archiveAt.getTime() - DAY_MS) };
}

const warningKey = (completedAt: Date) => `archive-warning:${completedAt.getTime()}`;

/**
 * Warns, then archives, the channels of incidents whose review is complete. Decisions come from the clock;
 * jobs only wake this up. The warning is claimed through its timeline event's unique sourceKey, so it is
 * posted once across processes; the archive waits at least a day after the warning even if the app was down.
 */
export async function sweepArchives(ctx: AppContext): Promise<{ warned: number[]; archived: number[] }> {
  const now = ctx.clock.now();
  const out = { warned: [] as number[], archived: [] as number[] };
  const horizon = new Date(now.getTime() - (ctx.config.archiveAfterDays - 1) * DAY_MS);
  const reviews = await ctx.prisma.review.findMany({
    where: {
      completedAt: { not: null, lte: horizon },
      incident: { archivedAt: null, status: "resolved", channelId: { not: null } },
    },
    include: { incident: { select: { id: true, channelId: true } } },
    take: 200,
  });
  for (const r of reviews) {
    const completedAt = r.completedAt!;
    const channelId = r.incident.channelId!;
    const { archiveAt } = archiveSchedule(ctx.config, completedAt);
    const warned = await ctx.prisma.timelineEvent.findUnique({
      where: { incidentId_sourceKey: { incidentId: r.incidentId, sourceKey: warningKey(completedAt) } },
      select: { at: true },
    });
    if (!warned) {
      if (await warn(ctx, r.incidentId, channelId, completedAt, archiveAt, now)) out.warned.push(r.incidentId);
      continue;
    }
    const due = Math.max(archiveAt.getTime(), warned.at.getTime() + DAY_MS);
    if (now.getTime() < due) continue;
    await archive(ctx, r.incidentId, channelId, now);
    out.archived.push(r.incidentId);
  }
  return out;
}

async function warn(ctx: AppContext, incidentId: number, channelId: string, completedAt: Date, archiveAt: Date, now: Date) {
  const tz = ctx.config.timezone;
  // Never archive sooner than a day after the warning, even when the sweep runs late.
  const archiveOn = localDay(new Date(Math.max(archiveAt.getTime(), now.getTime() + DAY_MS)), tz);
  try {
    await ctx.prisma.$transaction(async (tx) => {
      await recordEvent(
        tx,
        incidentId,
        { kind: "channel.archive_warned", data: { channelId, archiveAfter: archiveOn } },
        { at: now, actorId: null, text: `Channel archive warning posted (archive on ${archiveOn})`, sourceKey: warningKey(completedAt) },
      );
      await queuePost(
        ctx,
        tx,
        { incidentId },
        {
          text: `🗄️ The review of ${incidentRef(incidentId)} is complete, so this channel will be archived tomorrow (${archiveOn}, ${tz}). Pin or copy anything you still need.`,
        },
      );
    });
    return true;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return false; // another process warned
    throw e;
  }
}

async function archive(ctx: AppContext, incidentId: number, channelId: string, now: Date) {
  await ctx.chat.archive(channelId); // already_archived counts as success, so a second process is harmless
  await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.incident.updateMany({ where: { id: incidentId, archivedAt: null }, data: { archivedAt: now } });
    if (claimed.count === 0) return;
    await recordEvent(
      tx,
      incidentId,
      { kind: "channel.archived", data: { channelId } },
      { at: now, actorId: null, text: "Channel archived", sourceKey: `archived:${channelId}` },
    );
  });
}
