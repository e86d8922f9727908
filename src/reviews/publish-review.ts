import { reviewMessageBlocks, reviewMessageText, type ReviewMessageView } from "../../blocks/review.js";
import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import { ChannelNotReady } from "../incidents/post-to-channel.js";
import { METADATA } from "../chat/ids.js";
import { impactText, readImpact } from "./draft-review.js";
import { incidentRef } from "../incidents/naming.js";

export const reviewFilename = (incidentId: number) => `${incidentRef(incidentId)}-post-incident-review.md`;

async function reviewMessage(ctx: AppContext, incidentId: number): Promise<{ message: ChatMessage; channelId: string | null; messageTs: string | null } | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  const review = await ctx.prisma.review.findUnique({ where: { incidentId } });
  if (!inc || !review) return null;
  const openActionItems = await ctx.prisma.actionItem.count({ where: { incidentId, status: "open" } });
  const view: ReviewMessageView = {
    incidentId,
    title: inc.title,
    dueDate: review.dueDate,
    impactText: impactText(readImpact(review.impact)),
    wentWell: (review.wentWell as string[]) ?? [],
    wentPoorly: (review.wentPoorly as string[]) ?? [],
    openActionItems,
    completedAt: review.completedAt,
    completedBy: review.completedBy,
    filename: review.fileId ? reviewFilename(incidentId) : null,
  };
  return {
    message: {
      text: reviewMessageText(view),
      blocks: reviewMessageBlocks(view),
      metadata: { event_type: METADATA.review, event_payload: { incident_id: incidentId } },
    },
    channelId: inc.archivedAt ? null : inc.channelId,
    messageTs: review.messageTs,
  };
}

/** Uploads the current Markdown draft as a file and posts (first time) or refreshes the review message. */
export async function publishReview(ctx: AppContext, incidentId: number): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, archivedAt: true } });
  const review = await ctx.prisma.review.findUnique({ where: { incidentId } });
  if (!inc || !review || inc.archivedAt) return;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${incidentId} has no channel yet`);
  const { fileId } = await ctx.chat.uploadFile({
    channelId: inc.channelId,
    filename: reviewFilename(incidentId),
    title: `${incidentRef(incidentId)} post-incident review (draft)`,
    content: review.markdown,
  });
  await ctx.prisma.review.update({ where: { incidentId }, data: { fileId } });
  await refreshReviewMessage(ctx, incidentId);
}

/** Posts the review message once (its ts is stored), then updates it in place. */
export async function refreshReviewMessage(ctx: AppContext, incidentId: number): Promise<void> {
  const r = await reviewMessage(ctx, incidentId);
  if (!r?.channelId) return;
  if (r.messageTs) {
    await ctx.chat.update(r.channelId, r.messageTs, r.message);
    return;
  }
  const posted = await ctx.chat.post(r.channelId, r.message);
  await ctx.prisma.review.update({ where: { incidentId }, data: { messageTs: posted.ts } });
}
