import type { AppContext } from "../context.js";
import { gateUsageFor } from "./gate-usage.js";
import { changeGate, findGateItem, itemRowId } from "./change-gate.js";

export const OWNER_USAGE = gateUsageFor("owner");

/** Gives an item an owner: the person accountable for it. Setting the same owner again changes nothing. */
export async function setGateItemOwner(ctx: AppContext, gateId: number, actorId: string, itemRef: string, ownerId: string) {
  return changeGate(ctx, gateId, actorId, async (tx, gate) => {
    const item = findGateItem(gate, itemRef, OWNER_USAGE);
    if (item.ownerId === ownerId) return { result: { item, changed: false } };
    await tx.gateItem.update({ where: { id: await itemRowId(tx, gateId, item.number) }, data: { ownerId } });
    return {
      events: [{ kind: "item.owner_set", data: { list: "gate", number: item.number, ownerId, previous: item.ownerId } }],
      result: { item, changed: true },
    };
  });
}
