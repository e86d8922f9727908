import type { ChecklistItem } from "../../src/checklist/item.js";

/** A checklist item (the one model of playbook, runbook and gate items) with every field at its empty value. */
export function checklistItem(over: Partial<ChecklistItem> & { number: string }): ChecklistItem {
  const section = over.number.split(".")[0]!;
  return {
    key: `k-${over.number.replace(".", "-")}`,
    text: `Item ${over.number}`,
    sectionKey: section,
    sectionTitle: `Section ${section}`,
    ownerId: null,
    state: "todo",
    justification: null,
    completedBy: null,
    completedAt: null,
    criterion: null,
    measuredValue: null,
    measuredText: null,
    measuredPassing: null,
    ...over,
  };
}
