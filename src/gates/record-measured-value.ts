import { changeChecklist } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { gateChecklist } from "./gate-checklist.js";

/**
 * Stores a measured value for an item's criterion and whether it passes. A failing value on a done item
 * sets it back to not done: "done" on a measured item always means a passing measurement.
 */
export async function recordMeasuredValue(ctx: AppContext, gateId: number, actorId: string, itemRef: string, input: string) {
  const { parent, outcome } = await changeChecklist(ctx, gateChecklist(gateId), actorId, itemRef, { kind: "record", input });
  return { gate: parent, result: { item: outcome.item, ...outcome.measured! } };
}
