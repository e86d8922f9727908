import { statusChangeMessage } from "../../blocks/stakeholder.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { incidentRef } from "../incidents/naming.js";
import { queuePost } from "../incidents/post-to-channel.js";
import { recordEvent } from "../timeline/record-event.js";

type Tx = Prisma.TransactionClient;

/**
 * Called inside set-status's transaction: a concise plain-language note to STAKEHOLDER_CHANNEL_ID on every
 * status change. Automatic, so it does not meet the product-update clock.
 */
export async function notifyStatusChange(
  ctx: AppContext,
  tx: Tx,
  inc: { id: number; title: string; severity: string; channelId: string | null },
  change: { from: string; to: string; actorId: string; summary: string | null; at: Date },
) {
  const channel = ctx.config.stakeholderChannelId;
  if (!channel || channel === inc.channelId) return;
  const message = statusChangeMessage(
    { ref: incidentRef(inc.id), title: inc.title, severity: inc.severity, status: change.to, channelId: inc.channelId },
    change.from,
    change.to,
    change.actorId,
    change.summary,
  );
  await queuePost(ctx, tx, { channelId: channel }, message);
  await recordEvent(tx, inc.id, { kind: "stakeholder.update", data: { channels: [channel], automatic: true } }, {
    at: change.at,
    actorId: change.actorId,
    text: `Stakeholders told: status ${change.from} → ${change.to}`,
  });
}
