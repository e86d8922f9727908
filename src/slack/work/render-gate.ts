import { gateFallbackText, gateMessageBlocks } from "../../../blocks/gate.js";
import { findPostedMessage } from "../../chat/find-posted-message.js";
import { GATE_METADATA } from "../../chat/ids.js";
import { ChatError, type ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { webPageUrl } from "../../web/links.js";
import { claimPostFailure, loadGateForMessage, recordGateMessage } from "../../gates/render-gate.js";

/**
 * Job `gateRender` (stately per gate): brings the gate message in line with the database. The first run posts
 * it and stores its ts; a run retried after a crash between the post and the store finds the message by its
 * metadata instead of posting twice. Always renders the latest state, so concurrent changes converge.
 */
export async function renderGate(ctx: AppContext, gateId: number): Promise<void> {
  const gate = await loadGateForMessage(ctx, gateId);
  if (!gate) return; // deleted
  const message: ChatMessage = {
    text: gateFallbackText(gate),
    blocks: gateMessageBlocks(gate, ctx.config.timezone, webPageUrl(ctx.config, { gateId })),
    metadata: { event_type: GATE_METADATA, event_payload: { gateId } },
  };
  if (gate.messageTs) {
    await ctx.chat.update(gate.channelId, gate.messageTs, message);
    return;
  }
  // An unreadable channel is handled by the post below (it fails the same way and tells the opener).
  let ts = (await findPostedMessage(ctx.chat, gate.channelId, GATE_METADATA, { gateId }).catch(() => null)) ?? undefined;
  try {
    if (ts) await ctx.chat.update(gate.channelId, ts, message);
    else ts = (await ctx.chat.post(gate.channelId, message)).ts;
  } catch (e) {
    // A channel the bot cannot post in (a private channel it was not invited to) will not heal by
    // retrying: tell the person who opened the gate how to fix it, once, and stop.
    if (e instanceof ChatError && CANNOT_POST.has(e.code)) {
      if (await claimPostFailure(ctx, gate.id, gate.channelId, e.code))
        await tellOpener(ctx, gate.id, gate.openedBy, gate.channelId, e.code);
      return;
    }
    throw e;
  }
  await recordGateMessage(ctx, gateId, ts);
}

const CANNOT_POST = new Set(["channel_not_found", "not_in_channel", "is_archived", "restricted_action"]);

async function tellOpener(ctx: AppContext, gateId: number, userId: string, channelId: string, code: string) {
  const dm = await ctx.chat.openDm(userId);
  await ctx.chat.post(dm, {
    text:
      `I could not post G-${gateId} in <#${channelId}> (${code}). The gate is saved: \`/gate status G-${gateId}\` ` +
      "shows it. Invite me there with `/invite @incident-bot` and its message is posted with the next change.",
  });
}
