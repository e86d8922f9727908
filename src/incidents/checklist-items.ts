import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { changeIncident } from "./change-incident.js";

const ITEM_NUMBER = /^\d{1,2}\.\d{1,2}$/;

async function findItem(tx: Prisma.TransactionClient, incidentId: number, list: string, number: string) {
  if (!ITEM_NUMBER.test(number)) {
    throw new AppError("usage", `"${number}" is not an item number; items are numbered like 3.1 in the pinned playbook.`);
  }
  const item = await tx.checklistItem.findUnique({ where: { incidentId_list_number: { incidentId, list, number } } });
  if (!item) throw new AppError("not_found", `There is no item ${number} in this incident's ${list === "playbook" ? "playbook" : list}.`);
  return item;
}

export async function setItemOwner(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  number: string,
  ownerId: string,
  list = "playbook",
) {
  return changeIncident(ctx, incidentId, actorId, async (tx) => {
    const item = await findItem(tx, incidentId, list, number);
    if (item.ownerId === ownerId) return {};
    await tx.checklistItem.update({ where: { id: item.id }, data: { ownerId } });
    return {
      events: [
        {
          event: { kind: "item.owner_set", data: { list, number, ownerId, previous: item.ownerId } },
          text: `${number} ${item.text}: owner <@${ownerId}>`,
        },
      ],
    };
  });
}

export async function completeItem(ctx: AppContext, incidentId: number, actorId: string, number: string, list = "playbook") {
  return changeIncident(ctx, incidentId, actorId, async (tx, _inc, now) => {
    const item = await findItem(tx, incidentId, list, number);
    if (item.state === "done") return { result: "already" as const };
    // An unowned item gets its completer as owner: every item ends up with one.
    await tx.checklistItem.update({
      where: { id: item.id },
      data: { state: "done", completedBy: actorId, completedAt: now, justification: null, ownerId: item.ownerId ?? actorId },
    });
    return {
      events: [{ event: { kind: "item.completed", data: { list, number } }, text: `${number} ${item.text}: done` }],
      result: "done" as const,
    };
  });
}

export async function markItemNa(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  number: string,
  justification: string,
  list = "playbook",
) {
  const why = justification.trim();
  if (why.length < 3) {
    throw new AppError("usage", "N/A needs a justification (why the item does not apply).", "Usage: `/incident na <item> <justification>`");
  }
  return changeIncident(ctx, incidentId, actorId, async (tx, _inc, now) => {
    const item = await findItem(tx, incidentId, list, number);
    await tx.checklistItem.update({
      where: { id: item.id },
      data: { state: "na", justification: why, completedBy: actorId, completedAt: now, ownerId: item.ownerId ?? actorId },
    });
    return {
      events: [
        { event: { kind: "item.marked_na", data: { list, number, justification: why } }, text: `${number} ${item.text}: N/A (${why})` },
      ],
    };
  });
}

export async function reopenItem(ctx: AppContext, incidentId: number, actorId: string, number: string, list = "playbook") {
  return changeIncident(ctx, incidentId, actorId, async (tx) => {
    const item = await findItem(tx, incidentId, list, number);
    if (item.state === "todo") return {};
    await tx.checklistItem.update({
      where: { id: item.id },
      data: { state: "todo", completedBy: null, completedAt: null, justification: null },
    });
    return { events: [{ event: { kind: "item.reopened", data: { list, number } }, text: `${number} ${item.text}: reopened` }] };
  });
}
