import { announcementBlocks, announcementText } from "../../../blocks/announcement.js";
import { METADATA } from "../../chat/ids.js";
import { findPostedMessage } from "../../chat/find-posted-message.js";
import type { ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { loadAnnouncement, markAnnounced } from "../../incidents/announcement.js";
import { hashOf } from "../../incidents/render-incident.js";

/**
 * Posts the incident's announcement in INCIDENTS_CHANNEL_ID once, then edits it in place as severity, status
 * and lead change (the render job sends this job after every change). A job retried after a lost answer finds
 * the message it posted by its metadata instead of posting a second one.
 */
export async function announceIncident(ctx: AppContext, incidentId: number): Promise<void> {
  const a = await loadAnnouncement(ctx, incidentId);
  const channel = ctx.config.incidentsChannelId;
  if (!a || !channel) return;
  const message: ChatMessage = {
    text: announcementText(a.view),
    blocks: announcementBlocks(a.view, ctx.config.timezone),
    metadata: { event_type: METADATA.announcement, event_payload: { incident_id: incidentId } },
  };
  const hash = hashOf(message);
  if (a.ts && a.hash === hash) return; // nothing changed: chat.update is rate-limited
  let ts = a.ts ?? (await findPostedMessage(ctx.chat, channel, METADATA.announcement, { incident_id: incidentId }));
  if (ts) await ctx.chat.update(channel, ts, message);
  else ts = (await ctx.chat.post(channel, message)).ts;
  await markAnnounced(ctx, incidentId, ts, hash);
}
