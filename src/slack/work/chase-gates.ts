import { ownerDigestMessage, unownedAnnouncement } from "../../../blocks/gate.js";
import type { AppContext } from "../../context.js";
import { type GateChaseJob, loadOwnerDigest, loadUnownedAnnouncement, runChaseTick } from "../../gates/chase-gates.js";

/** Job `gateChase`: the owner DM and the unowned announcement are worded here; a tick runs the chase. */
export async function runGateChaseJob(ctx: AppContext, job: GateChaseJob): Promise<void> {
  if (job.kind === "dm") return sendOwnerDigest(ctx, job.userId);
  if (job.kind === "unowned") return postUnownedAnnouncement(ctx, job.gateId, job.numbers);
  await runChaseTick(ctx, job);
}

async function sendOwnerDigest(ctx: AppContext, userId: string): Promise<void> {
  const items = await loadOwnerDigest(ctx, userId);
  if (items.length === 0) return;
  const channel = await ctx.chat.openDm(userId);
  await ctx.chat.post(channel, ownerDigestMessage(items));
}

async function postUnownedAnnouncement(ctx: AppContext, gateId: number, numbers: string[]): Promise<void> {
  const found = await loadUnownedAnnouncement(ctx, gateId, numbers);
  if (!found || found.unowned.length === 0) return; // deleted meanwhile
  await ctx.chat.post(found.gate.channelId, unownedAnnouncement(found.gate, found.unowned));
}
