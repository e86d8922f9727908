import { changeChecklistItems } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { incidentChecklist } from "./incident-checklist.js";
import { incidentRef } from "./naming.js";

export interface StepAssigned {
  step: number;
  stepTitle: string;
  /** The items that got the owner (those that had none). */
  assigned: string[];
}

/**
 * *Assign step to…*: every item of step `step` (1-based, as numbered in the playbook) that has no owner gets
 * `ownerId`, through the checklist engine (one transaction, an `item.owner_set` timeline event per item).
 * Items someone already owns keep their owner.
 */
export async function assignStep(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  step: number,
  ownerId: string,
  list = "playbook",
): Promise<StepAssigned> {
  let stepTitle = "";
  const { outcomes } = await changeChecklistItems(
    ctx,
    incidentChecklist(incidentId, list),
    actorId,
    (items) => {
      const keys = [...new Set(items.map((i) => i.sectionKey))];
      const key = Number.isInteger(step) && step >= 1 ? keys[step - 1] : undefined;
      if (!key) {
        throw new AppError(
          "not_found",
          `${incidentRef(incidentId)}'s ${list} has no step ${step}; its steps are numbered 1 to ${keys.length}.`,
        );
      }
      const inStep = items.filter((i) => i.sectionKey === key);
      stepTitle = inStep[0]!.sectionTitle;
      return inStep.filter((i) => !i.ownerId);
    },
    { kind: "owner", ownerId },
  );
  return { step, stepTitle, assigned: outcomes.filter((o) => o.changed).map((o) => o.item.number) };
}
