import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { gateUsageFor } from "./gate-usage.js";
import { changeGate, findGateItem, itemRowId } from "./change-gate.js";
import { gateRef } from "./gate-ref.js";

export const DONE_USAGE = gateUsageFor("done");

/**
 * Marks an item done. An item with a measured criterion needs a passing recorded value first: the gate
 * is about evidence, not a tick. Pressing Done twice (or two people at once) gives one event.
 */
export async function completeGateItem(ctx: AppContext, gateId: number, actorId: string, itemRef: string) {
  return changeGate(ctx, gateId, actorId, async (tx, gate, now) => {
    const item = findGateItem(gate, itemRef, DONE_USAGE);
    if (item.state === "done") return { result: { item, already: true } };
    if (item.criterion && item.measuredPassing !== true) {
      const ref = gateRef(gateId);
      const why = item.measuredPassing === false ? `the recorded value fails it (${item.measuredText})` : "no value has been recorded yet";
      throw new AppError(
        "conflict",
        `${item.number} has a measured criterion (${item.criterion.label}) and ${why}. Record a passing value first: \`/gate record ${ref} ${item.number} <value>\`.`,
      );
    }
    await tx.gateItem.update({
      where: { id: await itemRowId(tx, gateId, item.number) },
      data: { state: "done", completedBy: actorId, completedAt: now, justification: null },
    });
    return {
      events: [{ kind: "item.completed", data: { list: "gate", number: item.number, previous: item.state } }],
      result: { item, already: false },
    };
  });
}
