import { alertDigestMessage } from "../../../blocks/alerts.js";
import { loadDigest, markDigested } from "../../alerts/digest.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";

/** Job `alertDigest`: posts the incident's new and resolved alerts as one message, then marks them told. */
export async function postAlertDigest(ctx: AppContext, incidentId: number): Promise<void> {
  const digest = await loadDigest(ctx, incidentId);
  if (!digest) return;
  await ctx.chat.post(digest.channelId, alertDigestMessage(incidentRef(incidentId), digest.alerts));
  await markDigested(ctx, digest);
}
