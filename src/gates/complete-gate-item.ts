import { changeChecklist } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { gateChecklist } from "./gate-checklist.js";

/**
 * Marks an item done. An item with a measured criterion needs a passing recorded value first: the gate
 * is about evidence, not a tick. Pressing Done twice (or two people at once) gives one event.
 */
export async function completeGateItem(ctx: AppContext, gateId: number, actorId: string, itemRef: string) {
  const { parent, outcome } = await changeChecklist(ctx, gateChecklist(gateId), actorId, itemRef, { kind: "done" });
  return { gate: parent, result: { item: outcome.item, already: !outcome.changed } };
}
