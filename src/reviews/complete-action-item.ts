import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { incidentRef } from "../incidents/naming.js";
import { queueReviewRefresh } from "./queue-review-refresh.js";

export const DONE_ACTION_USAGE = "Usage: `/incident done-action <id>` (the number shown as #12 on the action item)";

/** Closes a post-incident action item of this incident, so the chaser stops. */
export async function completeActionItem(ctx: AppContext, incidentId: number, actorId: string, ref: string) {
  const m = /^#?(\d{1,9})$/.exec(ref.trim());
  if (!m) throw new AppError("usage", `"${ref.trim()}" is not an action item number.`, DONE_ACTION_USAGE);
  const id = Number(m[1]);
  const { result } = await changeIncident(ctx, incidentId, actorId, async (tx, _inc, now) => {
    const item = await tx.actionItem.findUnique({ where: { id } });
    if (!item || item.incidentId !== incidentId) {
      throw new AppError("not_found", `${incidentRef(incidentId)} has no action item #${id}.`, DONE_ACTION_USAGE);
    }
    if (item.status === "done") return { result: { already: true, text: item.text, jiraKey: item.jiraKey, jiraUrl: item.jiraUrl } };
    await tx.actionItem.update({ where: { id }, data: { status: "done", completedAt: now } });
    // The channel line is told by id and worded when posted (src/slack/work/review-notices.ts).
    await ctx.jobs.sendInTx(tx, "reviewNotice", { kind: "action-item-done", actionItemId: id, actorId });
    await queueReviewRefresh(ctx, tx, incidentId);
    return {
      events: [{ event: { kind: "action_item.completed", data: { actionItemId: id } }, text: `Action item #${id} done: ${item.text}` }],
      result: { already: false, text: item.text, jiraKey: item.jiraKey, jiraUrl: item.jiraUrl },
    };
  });
  return result!;
}
