import type { ChecklistStore } from "../checklist/change-checklist.js";
import type { ChecklistItem } from "../checklist/item.js";
import type { Prisma, PrismaClient } from "../db.js";
import { changeIncident, type IncidentRow } from "./change-incident.js";
import { incidentRef } from "./naming.js";

type Reader = PrismaClient | Prisma.TransactionClient;
type ItemRow = Prisma.ChecklistItemGetPayload<object>;

/** A ChecklistItem row as the one item model (incident items have no measured criterion). */
export function toChecklistItem(row: ItemRow): ChecklistItem {
  return {
    number: row.number,
    key: row.key,
    text: row.text,
    sectionKey: row.stepKey,
    sectionTitle: row.stepTitle,
    ownerId: row.ownerId,
    state: row.state,
    justification: row.justification,
    completedBy: row.completedBy,
    completedAt: row.completedAt,
    criterion: null,
    measuredValue: null,
    measuredText: null,
    measuredPassing: null,
  };
}

/** The items of one of the incident's lists (`playbook`, `runbook:<id>`), in their order. */
export async function loadIncidentItems(db: Reader, incidentId: number, list: string): Promise<ChecklistItem[]> {
  const rows = await db.checklistItem.findMany({ where: { incidentId, list }, orderBy: { position: "asc" } });
  return rows.map(toChecklistItem);
}

const INCIDENT_USAGE: Partial<Record<string, string>> = {
  owner: "Usage: `/incident owner <item> <@user>`",
  done: "Usage: `/incident done <item>`",
  na: "Usage: `/incident na <item> <justification>`",
};

/** An incident's checklist (its playbook or an attached runbook) for the checklist engine, over changeIncident. */
export function incidentChecklist(incidentId: number, list = "playbook"): ChecklistStore<IncidentRow> {
  const ref = incidentRef(incidentId);
  return {
    rules: {
      list,
      name: list === "playbook" ? `${ref}'s playbook` : `${ref}'s runbook ${list.replace(/^runbook:/, "")}`,
      where: list === "playbook" ? "the pinned playbook" : "the runbook message",
      closerOwns: true,
      usage: (kind) => INCIDENT_USAGE[kind],
    },
    async change(ctx, actorId, fn) {
      const { incident, result } = await changeIncident(ctx, incidentId, actorId, async (tx, _inc, now) => {
        const step = await fn(tx, await loadIncidentItems(tx, incidentId, list), now);
        return { events: step.applied.map((a) => ({ event: a.event, text: a.text })), result: step.result };
      });
      return { parent: incident, result: result! };
    },
    async save(tx, number, patch) {
      await tx.checklistItem.update({ where: { incidentId_list_number: { incidentId, list, number } }, data: patch });
    },
  };
}
