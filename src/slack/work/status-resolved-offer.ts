import { statusPreviewMessage } from "../../../blocks/status-page.js";
import type { AppContext } from "../../context.js";
import { offerResolvedUpdate } from "../../status/offer-resolved-update.js";
import { loadStatusPreview } from "../../status/status-preview.js";

/** Job `statusResolvedOffer`: shows the comms owner the drafted resolved update, to Publish or Edit. */
export async function postResolvedOffer(ctx: AppContext, incidentId: number): Promise<void> {
  const offer = await offerResolvedUpdate(ctx, incidentId);
  if (!offer) return;
  const preview = await loadStatusPreview(ctx, offer.draftId);
  if (preview.publishedAt) return; // published meanwhile
  const msg = statusPreviewMessage(preview, ctx.config.statusPage.publicUrl);
  await ctx.chat.postEphemeral(offer.channelId, offer.userId, {
    text: `The incident is resolved: publish the resolved update to the status page? ${msg.text}`,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: "✅ The incident is resolved. Here is a drafted *resolved* update for the status page:" },
      },
      ...msg.blocks,
    ],
  });
}
