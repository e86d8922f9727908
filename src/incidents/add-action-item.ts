import { isValid, parseISO } from "date-fns";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { queueJiraIssue } from "../jira/queue-jira-issue.js";
import { changeIncident } from "./change-incident.js";

export const ACTION_USAGE = "Usage: `/incident action <text> <@user> [due YYYY-MM-DD]`";

export async function addActionItem(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  input: { text: string; ownerId: string; dueDate: string | null },
) {
  const text = input.text.trim();
  if (!text) throw new AppError("usage", "An action item needs a description.", ACTION_USAGE);
  if (input.dueDate && (!/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate) || !isValid(parseISO(input.dueDate)))) {
    throw new AppError("usage", `"${input.dueDate}" is not a date; use YYYY-MM-DD.`, ACTION_USAGE);
  }
  return changeIncident(ctx, incidentId, actorId, async (tx) => {
    const item = await tx.actionItem.create({
      data: { incidentId, text, ownerId: input.ownerId, dueDate: input.dueDate, createdBy: actorId },
    });
    // With Jira set up the item also becomes a Jira issue (src/jira/create-jira-issue.ts), owed in this transaction.
    const jira = await queueJiraIssue(ctx, tx, item.id);
    return {
      events: [
        {
          event: { kind: "action_item.added", data: { actionItemId: item.id, ownerId: input.ownerId, dueDate: input.dueDate } },
          text: `Action item: ${text} — <@${input.ownerId}>${input.dueDate ? `, due ${input.dueDate}` : ""}`,
        },
      ],
      notice: { kind: "action-item-added", incidentId, actionItemId: item.id, ownerId: input.ownerId, text, dueDate: input.dueDate },
      result: { ...item, jira },
    };
  });
}
