import { changeChecklist } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { gateChecklist } from "./gate-checklist.js";

/** Gives an item an owner: the person accountable for it. Setting the same owner again changes nothing. */
export async function setGateItemOwner(ctx: AppContext, gateId: number, actorId: string, itemRef: string, ownerId: string) {
  const { parent, outcome } = await changeChecklist(ctx, gateChecklist(gateId), actorId, itemRef, { kind: "owner", ownerId });
  return { gate: parent, result: { item: outcome.item, changed: outcome.changed } };
}
