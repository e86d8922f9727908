import type { AppContext } from "../context.js";
import type { ChecklistItem } from "../checklist/item.js";
import type { Prisma } from "../db.js";
import { toChecklistItem } from "../incidents/incident-checklist.js";
import { attachRunbooksForAlerts, RUNBOOK_LIST_PREFIX } from "./attach-runbooks.js";

/** An incident's runbook checklists as they stand, each with its message row (null until a first post is tried). */
export interface RunbookLists {
  incidentId: number;
  channelId: string;
  resolved: boolean;
  lists: { list: string; items: ChecklistItem[]; message: Prisma.ChecklistMessageGetPayload<object> | null }[];
}

/**
 * Attaches the runbooks the incident's alerts call for, then returns every runbook checklist to show (null when
 * the channel is not provisioned yet, or archived). Called from the incident render job.
 */
export async function loadRunbookLists(ctx: AppContext, incidentId: number): Promise<RunbookLists | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc?.channelId || !inc.provisionedAt || inc.archivedAt) return null;
  await attachRunbooksForAlerts(ctx, inc.id);
  const items = await ctx.prisma.checklistItem.findMany({
    where: { incidentId: inc.id, list: { startsWith: RUNBOOK_LIST_PREFIX } },
    orderBy: [{ list: "asc" }, { position: "asc" }],
  });
  const byList = new Map<string, ChecklistItem[]>();
  for (const item of items) byList.set(item.list, [...(byList.get(item.list) ?? []), toChecklistItem(item)]);
  const lists: RunbookLists["lists"] = [];
  for (const [list, rows] of byList) {
    const message = await ctx.prisma.checklistMessage.findUnique({ where: { incidentId_list: { incidentId: inc.id, list } } });
    lists.push({ list, items: rows, message });
  }
  return { incidentId: inc.id, channelId: inc.channelId, resolved: inc.status === "resolved", lists };
}

/** Before the first post of a runbook message: the row that says a post was attempted. */
export async function startRunbookMessage(ctx: AppContext, incidentId: number, list: string) {
  return ctx.prisma.checklistMessage.create({ data: { incidentId, list } });
}

export async function recordRunbookPosted(ctx: AppContext, rowId: number, ts: string) {
  return ctx.prisma.checklistMessage.update({ where: { id: rowId }, data: { ts } });
}

export async function recordRunbookPinned(ctx: AppContext, rowId: number): Promise<void> {
  await ctx.prisma.checklistMessage.update({ where: { id: rowId }, data: { pinned: true } });
}
