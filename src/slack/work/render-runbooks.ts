import { checklistBlocks, checklistText } from "../../../blocks/incident.js";
import { findPostedMessage } from "../../chat/find-posted-message.js";
import { METADATA } from "../../chat/ids.js";
import type { ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { RUNBOOK_LIST_PREFIX } from "../../playbooks/attach-runbooks.js";
import {
  loadRunbookLists,
  recordRunbookPinned,
  recordRunbookPosted,
  type RunbookLists,
  startRunbookMessage,
} from "../../playbooks/render-runbooks.js";

function runbookMessage(r: RunbookLists, { list, items }: RunbookLists["lists"][number]): ChatMessage {
  const title = `Runbook: ${items[0]?.sectionTitle ?? list.slice(RUNBOOK_LIST_PREFIX.length)}`;
  return {
    text: checklistText(title, items),
    blocks: checklistBlocks(r.incidentId, list, title, items, { resolved: r.resolved }),
    metadata: { event_type: METADATA.runbook, event_payload: { incident_id: r.incidentId, list } },
  };
}

/**
 * Part of the incident render job: posts and pins each attached runbook as its own checklist message (once),
 * then keeps it in line with the database like the playbook. A post whose answer was lost (crash) is found
 * again by its metadata instead of being posted twice.
 */
export async function renderRunbookMessages(ctx: AppContext, incidentId: number): Promise<void> {
  const r = await loadRunbookLists(ctx, incidentId);
  if (!r) return;
  for (const entry of r.lists) {
    const { list } = entry;
    const message = runbookMessage(r, entry);
    let row = entry.message;
    if (row?.ts) {
      await ctx.chat.update(r.channelId, row.ts, message);
    } else {
      let ts: string | null = null;
      if (row)
        ts = await findPostedMessage(ctx.chat, r.channelId, METADATA.runbook, { incident_id: r.incidentId, list }); // attempted before: did it land?
      else row = await startRunbookMessage(ctx, r.incidentId, list);
      if (!ts) ts = (await ctx.chat.post(r.channelId, message)).ts;
      row = await recordRunbookPosted(ctx, row.id, ts);
    }
    if (!row.pinned && row.ts) {
      await ctx.chat.pin(r.channelId, row.ts);
      await recordRunbookPinned(ctx, row.id);
    }
  }
}
