import { aliasMovedOutsideNotice } from "../../../blocks/registry-events.js";
import type { AppContext } from "../../context.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

/** Job `aliasNotice`: a registry alias move (from a webhook) told in an incident's channel, worded from the stored move. */
export async function postAliasNotice(ctx: AppContext, job: JobData<"aliasNotice">): Promise<void> {
  const [move, inc] = await Promise.all([
    ctx.prisma.modelAliasMove.findUnique({ where: { id: job.moveId } }),
    ctx.prisma.incident.findUnique({ where: { id: job.incidentId }, select: { channelId: true } }),
  ]);
  if (!move || !inc) return;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${job.incidentId} has no channel yet`);
  await ctx.chat.post(
    inc.channelId,
    aliasMovedOutsideNotice({ model: move.model, alias: move.alias, from: move.fromVersion, to: move.toVersion }),
  );
}
