import type { ChatPort } from "./port.js";

/** Page sizes tried in turn: most lookups hit in the first page; a busy channel gets a deeper look. */
const PAGE_SIZES = [100, 1000];

/**
 * The ts of a message the bot posted before a crash lost the post's answer, found by its Slack metadata:
 * `eventType` and every key of `payload` equal (compared as text, so `7` and `"7"` match). null when it is
 * not among the channel's recent messages. A failed read throws (the caller's job retries).
 */
export async function findPostedMessage(
  chat: Pick<ChatPort, "recentMessages">,
  channelId: string,
  eventType: string,
  payload: Record<string, string | number>,
): Promise<string | null> {
  const matches = (m: { metadata?: { event_type: string; event_payload: Record<string, unknown> } }) =>
    m.metadata?.event_type === eventType &&
    Object.entries(payload).every(([k, v]) => m.metadata!.event_payload != null && String(m.metadata!.event_payload[k]) === String(v));
  for (const size of PAGE_SIZES) {
    // The port reads one newest-first window; a larger window re-reads the smaller one (no cursor in the port yet).
    const recent = await chat.recentMessages(channelId, size);
    const hit = recent.find(matches);
    if (hit) return hit.ts;
    if (recent.length < size) return null; // the whole history was read
  }
  return null;
}
