import { changeChecklist } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { gateChecklist } from "./gate-checklist.js";

/** Marks an item not applicable. The justification is required: it is what a reviewer reads later. */
export async function markGateItemNa(ctx: AppContext, gateId: number, actorId: string, itemRef: string, justification: string) {
  const { parent, outcome } = await changeChecklist(ctx, gateChecklist(gateId), actorId, itemRef, { kind: "na", justification });
  return { gate: parent, result: { item: outcome.item } };
}
