import type { AppContext } from "../context.js";

/** An action item as the Jira notices, the review message and `/incident actions` show it (blocks/jira.ts renders it). */
export interface ActionItemJiraView {
  id: number;
  incidentId: number;
  text: string;
  ownerId: string;
  dueDate: string | null;
  status: string;
  jiraKey: string | null;
  jiraUrl: string | null;
  /** null (Jira off) | pending | created | failed */
  jiraState: string | null;
  jiraNote: string | null;
  jiraError: string | null;
  jiraAssigned: boolean;
}

/** The stored row's fields the view reads (the assignee itself stays in the database). */
type Row = Omit<ActionItemJiraView, "jiraAssigned"> & { jiraAssignee: string | null };

export const actionItemView = (r: Row): ActionItemJiraView => ({
  id: r.id,
  incidentId: r.incidentId,
  text: r.text,
  ownerId: r.ownerId,
  dueDate: r.dueDate,
  status: r.status,
  jiraKey: r.jiraKey,
  jiraUrl: r.jiraUrl,
  jiraState: r.jiraState,
  jiraNote: r.jiraNote,
  jiraError: r.jiraError,
  jiraAssigned: r.jiraAssignee !== null,
});

/** Every action item of an incident, oldest first. */
export async function listActionItems(ctx: AppContext, incidentId: number): Promise<ActionItemJiraView[]> {
  const rows = await ctx.prisma.actionItem.findMany({ where: { incidentId }, orderBy: { id: "asc" } });
  return rows.map(actionItemView);
}

/** One action item with its incident's channel; null when it is gone. */
export async function loadActionItemView(ctx: AppContext, id: number) {
  const row = await ctx.prisma.actionItem.findUnique({ where: { id }, include: { incident: { select: { channelId: true } } } });
  return row ? { view: actionItemView(row), channelId: row.incident.channelId } : null;
}
