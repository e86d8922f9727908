import type { KnownBlock } from "@slack/web-api";
import type { ActionItemJiraView } from "../src/jira/action-item-view.js";
import { esc, escKeepMentions, section, truncate } from "./text.js";

export type { ActionItemJiraView };

type BlockMessage = { text: string; blocks: KnownBlock[] };

/** `OPS-12` linked, "Jira issue being created", "not in Jira: …", or nothing when Jira is off. */
export function jiraRef(a: ActionItemJiraView): string {
  if (a.jiraKey) return a.jiraUrl ? `<${a.jiraUrl}|${esc(a.jiraKey)}>` : esc(a.jiraKey);
  if (a.jiraState === "pending") return "Jira issue being created";
  if (a.jiraState === "failed") return "not in Jira (see the error above; `/incident review` retries)";
  return "";
}

/** One line per action item: number, done mark, text, owner, due date, its Jira issue. */
export function actionItemLine(a: ActionItemJiraView): string {
  const jira = jiraRef(a);
  return `${a.status === "done" ? "☑️" : "▫️"} #${a.id} ${escKeepMentions(truncate(a.text, 300))} — <@${a.ownerId}>${a.dueDate ? `, due ${a.dueDate}` : ""}${jira ? ` · ${jira}` : ""}`;
}

/** `/incident actions`: every action item of the incident (at most 40 lines, then a count). */
export function actionItemsText(ref: string, items: ActionItemJiraView[]): string {
  if (items.length === 0) return `${ref} has no action items yet. Add one with \`/incident action <text> @owner due YYYY-MM-DD\`.`;
  const lines = items.slice(0, 40).map(actionItemLine);
  if (items.length > 40) lines.push(`…and ${items.length - 40} more`);
  return truncate(`*Action items of ${ref}*\n${lines.join("\n")}`, 3000);
}

/** Said once when an action item became a Jira issue: its key and link, and who it is assigned to (or why nobody). */
export function jiraCreatedMessage(ref: string, a: ActionItemJiraView): BlockMessage {
  const who = a.jiraAssigned
    ? `assigned to <@${a.ownerId}>'s Jira account`
    : `*unassigned*${a.jiraNote ? `: ${esc(a.jiraNote)}` : ""}; assign it in Jira`;
  const text = `📎 Action item #${a.id} of ${ref} is Jira issue ${jiraRef(a)} (${who}${a.dueDate ? `, due ${a.dueDate}` : ""}): ${escKeepMentions(a.text)}`;
  return { text: truncate(text, 3000), blocks: [section(truncate(text, 2990))] };
}

/** Said once when Jira refuses an action item, or keeps failing: why, in Jira's words, and what happens next. */
export function jiraFailedMessage(ref: string, a: ActionItemJiraView, final: boolean): BlockMessage {
  const why = esc(a.jiraError ?? "no reason given");
  const text = final
    ? `⚠️ Jira refused action item #${a.id} of ${ref} (${escKeepMentions(a.text)}): ${why}. It was not created; fix the cause and run \`/incident review\` to try again.`
    : `⚠️ Action item #${a.id} of ${ref} could not be created in Jira yet: ${why}. It is retried automatically with backoff.`;
  return { text: truncate(text, 3000), blocks: [section(truncate(text, 2990))] };
}

/** Said when the Jira webhook closed an action item: its issue reached a done status. */
export function jiraDoneMessage(ref: string, a: ActionItemJiraView, by: string | null, status: string): BlockMessage {
  const text = `☑️ Action item #${a.id} of ${ref} done: its Jira issue ${jiraRef(a)} is *${esc(status)}*${by ? ` (${esc(by)} in Jira)` : ""}: ${escKeepMentions(a.text)}`;
  return { text: truncate(text, 3000), blocks: [section(truncate(text, 2990))] };
}
