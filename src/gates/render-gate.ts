import { gateFallbackText, gateMessageBlocks } from "../../blocks/gate.js";
import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import { GATE_METADATA } from "../slack/ids.js";
import { loadGateView } from "./gate-view.js";

/**
 * Brings the gate message in line with the database (job handler, stately per gate). The first run posts it
 * and stores its ts; a run retried after a crash between the post and the store finds the message by its
 * metadata instead of posting twice. Always renders the latest state, so concurrent changes converge.
 */
export async function renderGate(ctx: AppContext, gateId: number): Promise<void> {
  const gate = await loadGateView(ctx.prisma, gateId).catch(() => null);
  if (!gate) return; // deleted
  const message: ChatMessage = {
    text: gateFallbackText(gate),
    blocks: gateMessageBlocks(gate, ctx.config.timezone),
    metadata: { event_type: GATE_METADATA, event_payload: { gateId } },
  };
  if (gate.messageTs) {
    await ctx.chat.update(gate.channelId, gate.messageTs, message);
    return;
  }
  const recent = await ctx.chat.recentMessages(gate.channelId, 50).catch(() => []);
  const found = recent.find((m) => m.metadata?.event_type === GATE_METADATA && Number(m.metadata.event_payload?.gateId) === gateId);
  let ts = found?.ts;
  if (ts) await ctx.chat.update(gate.channelId, ts, message);
  else ts = (await ctx.chat.post(gate.channelId, message)).ts;
  // Conditional: never overwrite a ts another process stored first.
  await ctx.prisma.gate.updateMany({ where: { id: gateId, messageTs: null }, data: { messageTs: ts } });
}
