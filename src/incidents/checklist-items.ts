import { changeChecklist } from "../checklist/change-checklist.js";
import type { AppContext } from "../context.js";
import { incidentChecklist } from "./incident-checklist.js";

// The incident's item use cases: each is one call of the checklist engine on the incident's list.

export async function setItemOwner(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  number: string,
  ownerId: string,
  list = "playbook",
) {
  const { parent, outcome } = await changeChecklist(ctx, incidentChecklist(incidentId, list), actorId, number, { kind: "owner", ownerId });
  return { incident: parent, result: outcome };
}

export async function completeItem(ctx: AppContext, incidentId: number, actorId: string, number: string, list = "playbook") {
  const { parent, outcome } = await changeChecklist(ctx, incidentChecklist(incidentId, list), actorId, number, { kind: "done" });
  return { incident: parent, result: outcome.changed ? ("done" as const) : ("already" as const) };
}

export async function markItemNa(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  number: string,
  justification: string,
  list = "playbook",
) {
  const { parent, outcome } = await changeChecklist(ctx, incidentChecklist(incidentId, list), actorId, number, {
    kind: "na",
    justification,
  });
  return { incident: parent, result: outcome };
}

export async function reopenItem(ctx: AppContext, incidentId: number, actorId: string, number: string, list = "playbook") {
  const { parent, outcome } = await changeChecklist(ctx, incidentChecklist(incidentId, list), actorId, number, { kind: "reopen" });
  return { incident: parent, result: outcome };
}
