import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import { gateMarkdown } from "./gate-markdown.js";
import { loadGateView } from "./gate-view.js";
import { recordGateEvent } from "./change-gate.js";

/** Job payload of `gateExport` (its schema is in src/jobs/payloads.ts). */
export type GateExportJob = JobData<"gateExport">;

/**
 * Exports a gate: the Markdown is returned at once (for the requester's reply) and the upload into the
 * channel is queued in the same transaction as its event, so it happens even if Slack is slow or down.
 * Allowed on an approved gate: exporting changes nothing.
 */
export async function exportGate(ctx: AppContext, gateId: number, actorId: string, channelId: string) {
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    const gate = await loadGateView(tx, gateId);
    await recordGateEvent(tx, gateId, { kind: "gate.exported", data: { channelId } }, { actorId, at: now });
    await ctx.jobs.sendInTx(tx, "gateExport", { gateId, channelId, requestedBy: actorId });
    return { gate, markdown: gateMarkdown(gate, ctx.config.timezone, now) };
  });
}

/** The gate and its Markdown as they are now (the upload job renders the latest state, not the requested one). */
export async function loadGateExport(ctx: AppContext, gateId: number) {
  const gate = await loadGateView(ctx.prisma, gateId);
  return { gate, markdown: gateMarkdown(gate, ctx.config.timezone, ctx.clock.now()) };
}
