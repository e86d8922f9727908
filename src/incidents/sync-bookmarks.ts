import { ChatError } from "../chat/port.js";
import type { AppContext } from "../context.js";
import { recordEvent } from "../timeline/record-event.js";
import { BOOKMARKED_KINDS, LINK_TITLES, loadIncidentLinks } from "./incident-links.js";
import { incidentRef } from "./naming.js";

/**
 * Job `bookmarks`: the incident channel's bookmarks follow its links — the alert's dashboard and runbook, the
 * status page once published, the review once posted. Each is added once: its IncidentLink row records the
 * attempt before bookmarks.add and Slack's id after; an attempt whose answer was lost (a crash, a timeout) is
 * looked up with bookmarks.list before anything is sent again. A refusal retrying cannot fix (invalid_link,
 * not_in_channel, …) is recorded and told on the timeline once; 429 and 5xx are thrown, so the job retries.
 */
export async function syncBookmarks(ctx: AppContext, incidentId: number): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({
    where: { id: incidentId },
    select: { channelId: true, provisionedAt: true, archivedAt: true },
  });
  if (!inc?.channelId || !inc.provisionedAt || inc.archivedAt) return;
  const channelId = inc.channelId;

  const reviewAdded = await recordReviewLink(ctx, incidentId, channelId);
  const links = (await loadIncidentLinks(ctx, incidentId)).filter((l) => BOOKMARKED_KINDS.includes(l.kind));
  // A link is bookmarked as it was first seen: a later alert with another dashboard does not move it.
  await ctx.prisma.incidentLink.createMany({
    data: links.map((l) => ({ incidentId, kind: l.kind, title: l.title, url: l.url })),
    skipDuplicates: true,
  });

  const owed = await ctx.prisma.incidentLink.findMany({
    where: { incidentId, bookmarkId: null, failedCode: null },
    orderBy: { id: "asc" },
  });
  let listed: { id: string; link: string }[] | undefined;
  for (const row of owed) {
    try {
      if (row.attemptedAt) {
        listed ??= await ctx.chat.listBookmarks(channelId);
        const found = listed.find((b) => b.link === row.url);
        if (found) {
          await ctx.prisma.incidentLink.update({ where: { id: row.id }, data: { bookmarkId: found.id } });
          continue;
        }
      }
      await ctx.prisma.incidentLink.update({ where: { id: row.id }, data: { attemptedAt: ctx.clock.now() } });
      const added = await ctx.chat.addBookmark(channelId, { title: row.title, link: row.url });
      await ctx.prisma.incidentLink.update({ where: { id: row.id }, data: { bookmarkId: added.id || `added:${row.id}` } });
    } catch (e) {
      if (!(e instanceof ChatError) || e.retryable) throw e;
      await ctx.prisma.$transaction(async (tx) => {
        await tx.incidentLink.update({ where: { id: row.id }, data: { failedCode: e.code } });
        await recordEvent(
          tx,
          incidentId,
          { kind: "slack.call.failed", data: { step: `bookmark:${row.kind}`, error: e.code, willRetry: false } },
          {
            at: ctx.clock.now(),
            actorId: null,
            text: `Could not bookmark the ${row.title.toLowerCase()} (${e.code})`,
            sourceKey: `bookmark:${row.kind}`,
          },
        );
      });
      ctx.log.warn({ incident: incidentRef(incidentId), kind: row.kind, error: e.code }, "channel bookmark refused");
    }
  }
  // The header shows the review as a button too: render it now that its link is known.
  if (reviewAdded) await ctx.jobs.send("render", { incidentId }, { singletonKey: `render-${incidentId}` });
}

/** The review's link is its message's permalink, asked once the message is posted and kept. True when newly kept. */
async function recordReviewLink(ctx: AppContext, incidentId: number, channelId: string): Promise<boolean> {
  const review = await ctx.prisma.review.findUnique({ where: { incidentId }, select: { messageTs: true } });
  if (!review?.messageTs) return false;
  const kept = await ctx.prisma.incidentLink.findUnique({
    where: { incidentId_kind: { incidentId, kind: "review" } },
    select: { id: true },
  });
  if (kept) return false;
  const url = await ctx.chat.permalink(channelId, review.messageTs);
  if (!url) throw new ChatError("permalink_unavailable", "chat.getPermalink", true); // retried by the job
  const made = await ctx.prisma.incidentLink.createMany({
    data: [{ incidentId, kind: "review", title: LINK_TITLES.review, url }],
    skipDuplicates: true,
  });
  return made.count > 0;
}
