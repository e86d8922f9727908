import type { AppContext } from "../context.js";

/** What the announcement in INCIDENTS_CHANNEL_ID shows (blocks/announcement.ts renders it). */
export interface AnnouncementView {
  id: number;
  title: string;
  severity: string;
  status: string;
  category: string | null;
  model: string | null;
  service: string | null;
  leadId: string | null;
  channelId: string;
  detectedAt: Date;
  resolvedAt: Date | null;
}

/**
 * The incident as announced, with what was last sent; null when it is not announced at all: private, not set up
 * yet (no channel to join), or no INCIDENTS_CHANNEL_ID.
 */
export async function loadAnnouncement(
  ctx: AppContext,
  incidentId: number,
): Promise<{ view: AnnouncementView; ts: string | null; hash: string | null } | null> {
  if (!ctx.config.incidentsChannelId) return null;
  const i = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!i || i.isPrivate || !i.channelId || !i.provisionedAt) return null;
  const view: AnnouncementView = {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    category: i.category,
    model: i.modelName,
    service: i.service,
    leadId: i.leadId,
    channelId: i.channelId,
    detectedAt: i.detectedAt,
    resolvedAt: i.resolvedAt,
  };
  return { view, ts: i.announcementTs, hash: i.announcementHash };
}

/** Records the announcement's message and what it shows (only the announce job writes these; one runs per incident). */
export async function markAnnounced(ctx: AppContext, incidentId: number, ts: string, hash: string): Promise<void> {
  await ctx.prisma.incident.update({ where: { id: incidentId }, data: { announcementTs: ts, announcementHash: hash } });
}

/** The incident channel a *Join channel* press leads to (null: gone, or private, which is never announced). */
export async function joinableChannel(ctx: AppContext, incidentId: number): Promise<string | null> {
  const i = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true, isPrivate: true } });
  return i && !i.isPrivate ? i.channelId : null;
}
