import type { AppContext } from "../context.js";
import { ChannelNotReady } from "../incidents/post-to-channel.js";
import { type AlertView, toAlertView } from "./alert-view.js";

/** The alerts of an incident that arrived or resolved since its last digest, and where the digest goes. */
export interface PendingDigest {
  incidentId: number;
  channelId: string;
  alerts: AlertView[];
  /** each row as read: a row whose payload changed meanwhile is not marked (it goes in the next digest) */
  rows: { id: number; payloadHash: string }[];
}

/** What the next digest of the incident says, or null when there is nothing to say (or no incident). */
export async function loadDigest(ctx: AppContext, incidentId: number): Promise<PendingDigest | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true } });
  if (!inc) return null;
  const pending = await ctx.prisma.alert.findMany({
    where: { incidentId, digestedAt: null },
    orderBy: { lastSeenAt: "asc" },
    take: 200,
  });
  if (pending.length === 0) return null;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${incidentId} has no channel yet`);
  return {
    incidentId,
    channelId: inc.channelId,
    alerts: pending.map((a) => toAlertView(a)),
    rows: pending.map((a) => ({ id: a.id, payloadHash: a.payloadHash })),
  };
}

/**
 * Marks the digest's alerts as told. Called after the post (at least once: a crash in between repeats a digest
 * rather than losing one); a row changed meanwhile keeps its mark off and goes in the next digest.
 */
export async function markDigested(ctx: AppContext, digest: PendingDigest): Promise<void> {
  const now = ctx.clock.now();
  for (const a of digest.rows) {
    await ctx.prisma.alert.updateMany({ where: { id: a.id, payloadHash: a.payloadHash, digestedAt: null }, data: { digestedAt: now } });
  }
}
