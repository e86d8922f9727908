import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { gateUsageFor } from "./gate-usage.js";
import { changeGate, findGateItem, itemRowId } from "./change-gate.js";
import { evaluateCriterion, parseMeasuredValue } from "./criteria.js";
import { gateRef } from "./gate-ref.js";

export const RECORD_USAGE = gateUsageFor("record");

/**
 * Stores a measured value for an item's criterion and whether it passes. A failing value on a done item
 * sets it back to not done: "done" on a measured item always means a passing measurement.
 */
export async function recordMeasuredValue(ctx: AppContext, gateId: number, actorId: string, itemRef: string, input: string) {
  return changeGate(ctx, gateId, actorId, async (tx, gate) => {
    const item = findGateItem(gate, itemRef, RECORD_USAGE);
    if (!item.criterion) {
      throw new AppError(
        "invalid",
        `${item.number} of ${gateRef(gateId)} has no measured criterion, so there is nothing to record; mark it with \`/gate done ${gateRef(gateId)} ${item.number}\`.`,
      );
    }
    const parsed = parseMeasuredValue(input, item.criterion);
    if (!parsed.ok) throw new AppError("invalid", `Cannot record "${input.trim()}" for ${item.number}: ${parsed.error}.`, RECORD_USAGE);
    const evaluation = evaluateCriterion(item.criterion, parsed.value);
    const reopened = !evaluation.passing && item.state === "done";
    await tx.gateItem.update({
      where: { id: await itemRowId(tx, gateId, item.number) },
      data: {
        measuredValue: parsed.value,
        measuredText: evaluation.text,
        measuredPassing: evaluation.passing,
        ...(reopened ? { state: "todo", completedBy: null, completedAt: null } : {}),
      },
    });
    return {
      events: [
        {
          kind: "item.measured",
          data: {
            list: "gate",
            number: item.number,
            input: input.trim(),
            value: parsed.value,
            passing: evaluation.passing,
            text: evaluation.text,
            reopened,
          },
        },
      ],
      result: { item, passing: evaluation.passing, text: evaluation.text, reopened },
    };
  });
}
