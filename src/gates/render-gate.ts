import type { AppContext } from "../context.js";
import { type GateView, loadGateView } from "./gate-view.js";
import { recordGateEvent } from "./change-gate.js";

/** The gate its message shows, or null when it was deleted (the render job then has nothing to do). */
export async function loadGateForMessage(ctx: AppContext, gateId: number): Promise<GateView | null> {
  return loadGateView(ctx.prisma, gateId).catch(() => null);
}

/** Stores the posted message's ts. Conditional: never overwrite a ts another process stored first. */
export async function recordGateMessage(ctx: AppContext, gateId: number, ts: string): Promise<void> {
  await ctx.prisma.gate.updateMany({ where: { id: gateId, messageTs: null }, data: { messageTs: ts } });
}

/**
 * Records that the gate message could not be posted (gate.post_failed). True only for the first failure,
 * so the opener is told once.
 */
export async function claimPostFailure(ctx: AppContext, gateId: number, channelId: string, code: string): Promise<boolean> {
  const claimed = await ctx.prisma.gateEvent.findFirst({ where: { gateId, kind: "gate.post_failed" } });
  if (claimed) return false;
  await recordGateEvent(
    ctx.prisma,
    gateId,
    { kind: "gate.post_failed", data: { channelId, error: code } },
    { actorId: null, at: ctx.clock.now() },
  );
  return true;
}
