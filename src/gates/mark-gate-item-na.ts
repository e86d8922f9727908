import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { gateUsageFor } from "./gate-usage.js";
import { changeGate, findGateItem, itemRowId } from "./change-gate.js";

export const NA_USAGE = gateUsageFor("na");

/** Marks an item not applicable. The justification is required: it is what a reviewer reads later. */
export async function markGateItemNa(ctx: AppContext, gateId: number, actorId: string, itemRef: string, justification: string) {
  const why = justification.trim();
  if (why.length < 3) {
    throw new AppError("usage", "N/A needs a justification: say why the item does not apply to this release.", NA_USAGE);
  }
  if (why.length > 1000) throw new AppError("usage", "The justification is too long (1000 characters at most).", NA_USAGE);
  return changeGate(ctx, gateId, actorId, async (tx, gate, now) => {
    const item = findGateItem(gate, itemRef, NA_USAGE);
    if (item.state === "na" && item.justification === why) return { result: { item } };
    await tx.gateItem.update({
      where: { id: await itemRowId(tx, gateId, item.number) },
      data: { state: "na", justification: why, completedBy: actorId, completedAt: now },
    });
    return {
      events: [{ kind: "item.marked_na", data: { list: "gate", number: item.number, justification: why, previous: item.state } }],
      result: { item },
    };
  });
}
