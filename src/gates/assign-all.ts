import type { AppContext } from "../context.js";
import { changeGate } from "./change-gate.js";

/** Gives every item without an owner the same owner (items that have one keep theirs). */
export async function assignAll(ctx: AppContext, gateId: number, actorId: string, ownerId: string) {
  return changeGate(ctx, gateId, actorId, async (tx, gate) => {
    const unowned = gate.items.filter((i) => !i.ownerId).map((i) => i.number);
    if (unowned.length === 0) return { result: { numbers: unowned } };
    await tx.gateItem.updateMany({ where: { gateId, ownerId: null }, data: { ownerId } });
    return { events: [{ kind: "gate.assigned_all", data: { ownerId, numbers: unowned } }], result: { numbers: unowned } };
  });
}
