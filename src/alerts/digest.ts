import { alertDigestMessage } from "../../blocks/alerts.js";
import type { AppContext } from "../context.js";
import { incidentRef } from "../incidents/naming.js";
import { ChannelNotReady } from "../incidents/post-to-channel.js";
import { toAlertView } from "./alert-view.js";

/**
 * Posts the incident's alerts that arrived or resolved since the last digest as one message. Marked after the
 * post (at least once: a crash in between repeats a digest rather than losing one); a row changed meanwhile
 * keeps its mark off and goes in the next digest.
 */
export async function postAlertDigest(ctx: AppContext, incidentId: number): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true } });
  if (!inc) return;
  const pending = await ctx.prisma.alert.findMany({
    where: { incidentId, digestedAt: null },
    orderBy: { lastSeenAt: "asc" },
    take: 200,
  });
  if (pending.length === 0) return;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${incidentId} has no channel yet`);
  await ctx.chat.post(inc.channelId, alertDigestMessage(incidentRef(incidentId), pending.map((a) => toAlertView(a))));
  const now = ctx.clock.now();
  for (const a of pending) {
    await ctx.prisma.alert.updateMany({ where: { id: a.id, payloadHash: a.payloadHash, digestedAt: null }, data: { digestedAt: now } });
  }
}
