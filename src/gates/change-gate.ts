import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { type GateEventInput, GateEventSchema } from "./gate-events.js";
import { gateRef } from "./gate-ref.js";
import { type GateView, loadGateView } from "./gate-view.js";

type Tx = Prisma.TransactionClient;

export interface GateChange<T = void> {
  /** Events to write; each is one row (time, actor, kind, data) in the same transaction as the change. */
  events?: GateEventInput[];
  result?: T;
}

export interface ChangeOptions {
  /** Only `reopen` may touch an approved gate: every other change is refused while it is frozen. */
  allowApproved?: boolean;
}

/** Appends one audit-trail event, validated against the union. Call inside the transaction that made the change. */
export async function recordGateEvent(
  tx: Tx,
  gateId: number,
  event: GateEventInput,
  meta: { actorId: string | null; at: Date },
): Promise<void> {
  const parsed = GateEventSchema.parse(event);
  await tx.gateEvent.create({
    data: { gateId, kind: parsed.kind, actorId: meta.actorId, at: meta.at, data: parsed.data as Prisma.InputJsonValue },
  });
}

/** The re-render of a gate's message: stately per gate, so a burst of clicks collapses into one update. */
export async function queueGateRender(ctx: AppContext, tx: Tx, gateId: number): Promise<void> {
  await ctx.jobs.sendInTx(tx, "gateRender", { gateId }, { singletonKey: `gate-${gateId}` });
}

/**
 * THE way to change a gate: lock its row, check it is not frozen, apply, write the events and queue the
 * re-render, all in one transaction, so two people pressing Done at once serialise into two clean events.
 */
export async function changeGate<T = void>(
  ctx: AppContext,
  gateId: number,
  actorId: string,
  fn: (tx: Tx, gate: GateView, now: Date) => Promise<GateChange<T>>,
  opts: ChangeOptions = {},
): Promise<{ gate: GateView; result: T | undefined }> {
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Gate" WHERE id = ${gateId} FOR UPDATE`;
      const gate = await loadGateView(tx, gateId);
      if (gate.status === "approved" && !opts.allowApproved) {
        throw new AppError(
          "conflict",
          `${gateRef(gateId)} is approved and frozen: nothing on it can change. To change it, reopen it first with \`/gate reopen ${gateRef(gateId)} <reason>\`.`,
        );
      }
      const change = await fn(tx, gate, now);
      const events = change.events ?? [];
      if (events.length > 0) {
        await tx.gate.update({ where: { id: gateId }, data: { updatedAt: now } });
        for (const e of events) await recordGateEvent(tx, gateId, e, { actorId, at: now });
        await queueGateRender(ctx, tx, gateId);
      }
      return { gate: await loadGateView(tx, gateId), result: change.result };
    },
    { timeout: 15_000 },
  );
}
