import { checklistBlocks, checklistText } from "../../blocks/incident.js";
import { findPostedMessage } from "../chat/find-posted-message.js";
import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { toItemView } from "../incidents/view.js";
import { METADATA } from "../chat/ids.js";
import { attachRunbooksForAlerts, RUNBOOK_LIST_PREFIX } from "./attach-runbooks.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;

function runbookMessage(inc: IncidentRow, list: string, items: Prisma.ChecklistItemGetPayload<object>[]): ChatMessage {
  const title = `Runbook: ${items[0]?.stepTitle ?? list.slice(RUNBOOK_LIST_PREFIX.length)}`;
  const views = items.map(toItemView);
  return {
    text: checklistText(title, views),
    blocks: checklistBlocks(inc.id, list, title, views, { resolved: inc.status === "resolved" }),
    metadata: { event_type: METADATA.runbook, event_payload: { incident_id: inc.id, list } },
  };
}

/**
 * Posts and pins each attached runbook as its own checklist message (once), then keeps it in line with the
 * database like the playbook. Called from the incident render job, after the channel is provisioned.
 * A post whose answer was lost (crash) is found again by its metadata instead of being posted twice.
 */
export async function renderRunbookMessages(ctx: AppContext, inc: IncidentRow): Promise<void> {
  if (!inc.channelId || !inc.provisionedAt || inc.archivedAt) return;
  await attachRunbooksForAlerts(ctx, inc.id);
  const items = await ctx.prisma.checklistItem.findMany({
    where: { incidentId: inc.id, list: { startsWith: RUNBOOK_LIST_PREFIX } },
    orderBy: [{ list: "asc" }, { position: "asc" }],
  });
  if (items.length === 0) return;
  const lists = new Map<string, typeof items>();
  for (const item of items) lists.set(item.list, [...(lists.get(item.list) ?? []), item]);
  for (const [list, rows] of lists) {
    const message = runbookMessage(inc, list, rows);
    let row = await ctx.prisma.checklistMessage.findUnique({ where: { incidentId_list: { incidentId: inc.id, list } } });
    if (row?.ts) {
      await ctx.chat.update(inc.channelId, row.ts, message);
    } else {
      let ts: string | null = null;
      if (row) ts = await findPostedMessage(ctx.chat, inc.channelId, METADATA.runbook, { incident_id: inc.id, list }); // attempted before: did it land?
      else row = await ctx.prisma.checklistMessage.create({ data: { incidentId: inc.id, list } });
      if (!ts) ts = (await ctx.chat.post(inc.channelId, message)).ts;
      row = await ctx.prisma.checklistMessage.update({ where: { id: row.id }, data: { ts } });
    }
    if (!row.pinned && row.ts) {
      await ctx.chat.pin(inc.channelId, row.ts);
      await ctx.prisma.checklistMessage.update({ where: { id: row.id }, data: { pinned: true } });
    }
  }
}
