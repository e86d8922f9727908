import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { recordEvent } from "../timeline/record-event.js";

type Tx = Prisma.TransactionClient;

/**
 * Called inside set-status's transaction: a concise plain-language note to STAKEHOLDER_CHANNEL_ID on every
 * status change. Automatic, so it does not meet the product-update clock.
 */
export async function notifyStatusChange(
  ctx: AppContext,
  tx: Tx,
  inc: { id: number; channelId: string | null },
  change: { from: string; to: string; actorId: string; summary: string | null; at: Date },
) {
  const channel = ctx.config.stakeholderChannelId;
  if (!channel || channel === inc.channelId) return;
  // Worded when the job runs (src/slack/work/incident-notices.ts), from the incident's title and severity.
  const { from, to, actorId, summary } = change;
  await ctx.jobs.sendInTx(tx, "incidentNotice", {
    kind: "stakeholder-status",
    incidentId: inc.id,
    channelId: channel,
    from,
    to,
    actorId,
    summary,
  });
  await recordEvent(
    tx,
    inc.id,
    { kind: "stakeholder.update", data: { channels: [channel], automatic: true } },
    {
      at: change.at,
      actorId: change.actorId,
      text: `Stakeholders told: status ${change.from} → ${change.to}`,
    },
  );
}
