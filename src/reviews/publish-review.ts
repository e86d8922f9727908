import type { AppContext } from "../context.js";
import { ChannelNotReady } from "../incidents/post-to-channel.js";
import { impactText, loadReviewGates, readImpact } from "./draft-review.js";
import { incidentRef } from "../incidents/naming.js";
import { type ActionItemJiraView, listActionItems } from "../jira/action-item-view.js";

export const reviewFilename = (incidentId: number) => `${incidentRef(incidentId)}-post-incident-review.md`;

/** What the review message in the incident channel shows (blocks/review.ts renders it). */
export interface ReviewMessageView {
  incidentId: number;
  title: string;
  dueDate: string;
  impactText: string;
  wentWell: string[];
  wentPoorly: string[];
  openActionItems: number;
  /** Every action item, with its Jira issue when there is one. */
  actionItems: ActionItemJiraView[];
  /** Proposed by the bot from the model version's gates (re-check an N/A item), not yet action items. */
  proposedActions: { text: string; owner: string | null }[];
  completedAt: Date | null;
  completedBy: string | null;
  /** Filename of the uploaded draft, when uploaded. */
  filename: string | null;
}

/** The review message as it should read now, where it goes (null once archived) and its ts once posted. */
export async function loadReviewMessage(
  ctx: AppContext,
  incidentId: number,
): Promise<{ view: ReviewMessageView; channelId: string | null; messageTs: string | null } | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  const review = await ctx.prisma.review.findUnique({ where: { incidentId } });
  if (!inc || !review) return null;
  const actionItems = await listActionItems(ctx, incidentId);
  const openActionItems = actionItems.filter((a) => a.status === "open").length;
  const gates = await loadReviewGates(ctx, ctx.prisma, inc);
  const taken = gates?.proposed.length ? actionItems : [];
  return {
    view: {
      incidentId,
      title: inc.title,
      dueDate: review.dueDate,
      impactText: impactText(readImpact(review.impact)),
      wentWell: (review.wentWell as string[]) ?? [],
      wentPoorly: (review.wentPoorly as string[]) ?? [],
      openActionItems,
      actionItems,
      proposedActions: (gates?.proposed ?? [])
        .filter((p) => !taken.some((a) => a.text.includes(p.text)))
        .map((p) => ({ text: p.text, owner: p.owner ?? null })),
      completedAt: review.completedAt,
      completedBy: review.completedBy,
      filename: review.fileId ? reviewFilename(incidentId) : null,
    },
    channelId: inc.archivedAt ? null : inc.channelId,
    messageTs: review.messageTs,
  };
}

/** The current Markdown draft to upload into the incident channel, or null when there is none (or archived). */
export async function loadReviewDraft(
  ctx: AppContext,
  incidentId: number,
): Promise<{ channelId: string; filename: string; title: string; content: string } | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, archivedAt: true } });
  const review = await ctx.prisma.review.findUnique({ where: { incidentId } });
  if (!inc || !review || inc.archivedAt) return null;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${incidentId} has no channel yet`);
  return {
    channelId: inc.channelId,
    filename: reviewFilename(incidentId),
    title: `${incidentRef(incidentId)} post-incident review (draft)`,
    content: review.markdown,
  };
}

export async function recordReviewUpload(ctx: AppContext, incidentId: number, fileId: string): Promise<void> {
  await ctx.prisma.review.update({ where: { incidentId }, data: { fileId } });
}

/** The review message is posted once: its ts is stored, and later refreshes update it in place. */
export async function recordReviewMessage(ctx: AppContext, incidentId: number, messageTs: string): Promise<void> {
  await ctx.prisma.review.update({ where: { incidentId }, data: { messageTs } });
  // Posted: the review becomes a channel bookmark and a header button.
  await ctx.jobs.send("bookmarks", { incidentId }, { singletonKey: `bookmarks-${incidentId}` });
}
