import { reviewMessageBlocks, reviewMessageText } from "../../../blocks/review.js";
import { METADATA } from "../../chat/ids.js";
import type { ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { webPageUrl } from "../../web/links.js";
import { loadReviewDraft, loadReviewMessage, recordReviewMessage, recordReviewUpload } from "../../reviews/publish-review.js";
import { resolveMentions } from "./resolve-mentions.js";

/** Job `reviewDraft`: uploads the current Markdown draft as a file and posts (first time) or refreshes the review message. */
export async function publishReview(ctx: AppContext, incidentId: number): Promise<void> {
  const draft = await loadReviewDraft(ctx, incidentId);
  if (!draft) return;
  const { fileId } = await ctx.chat.uploadFile({
    channelId: draft.channelId,
    filename: draft.filename,
    title: draft.title,
    // A file is not rendered by Slack: mentions become names (the stored draft keeps the ids).
    content: await resolveMentions(ctx.chat, draft.content),
  });
  await recordReviewUpload(ctx, incidentId, fileId);
  await refreshReviewMessage(ctx, incidentId);
}

/** Job `housekeeping` (review-message): posts the review message once (its ts is stored), then updates it in place. */
export async function refreshReviewMessage(ctx: AppContext, incidentId: number): Promise<void> {
  const r = await loadReviewMessage(ctx, incidentId);
  if (!r?.channelId) return;
  const message: ChatMessage = {
    text: reviewMessageText(r.view),
    blocks: reviewMessageBlocks(r.view, webPageUrl(ctx.config, { incidentId })),
    metadata: { event_type: METADATA.review, event_payload: { incident_id: incidentId } },
  };
  if (r.messageTs) {
    await ctx.chat.update(r.channelId, r.messageTs, message);
    return;
  }
  const posted = await ctx.chat.post(r.channelId, message);
  await recordReviewMessage(ctx, incidentId, posted.ts);
}
