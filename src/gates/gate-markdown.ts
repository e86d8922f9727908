import { localMinute } from "../text/local-time.js";
import { isSlackUserId } from "../chat/ids.js";
import { gateRef } from "./gate-ref.js";
import type { GateView } from "./gate-view.js";
import { gateProgress, progressLine } from "./progress.js";

const when = (d: Date | null, tz: string) => (d ? localMinute(d, tz) : "—");
const STATE: Record<string, string> = { todo: "not done", done: "done", na: "N/A" };
/**
 * A person as a Slack mention (`<@U123>`); whoever shows the Markdown outside Slack's renderer turns it into a name
 * (src/slack/work/resolve-mentions.ts). Anything else (a registry webhook, "?") stays as it is.
 */
const person = (id: string) => (isSlackUserId(id) ? `<@${id}>` : id);
/** Table cells: a pipe or a newline would break the row. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The gate as a Markdown record: every item with owner, state, justification, measured value; approver and dates. */
export function gateMarkdown(g: GateView, tz: string, now: Date): string {
  const lines = [
    `# ${gateRef(g.id)} · ${g.title}`,
    "",
    `- Subject: ${g.subject}`,
    `- Template: ${g.templateId}`,
    `- Status: ${g.status}`,
    `- Progress: ${progressLine(gateProgress(g.items))}`,
    `- Opened: ${when(g.createdAt, tz)} by ${person(g.openedBy)}`,
    ...(g.overrideReason ? [`- Opened out of order, justification: ${g.overrideReason}`] : []),
    `- Approved: ${g.approvedBy ? `${when(g.approvedAt, tz)} by ${person(g.approvedBy)}` : "not yet"}`,
    `- Exported: ${when(now, tz)} (times in ${tz})`,
  ];
  let section = "";
  for (const item of g.items) {
    if (item.sectionTitle !== section) {
      section = item.sectionTitle;
      lines.push(
        "",
        `## ${section}`,
        "",
        "| Item | Text | Owner | State | Justification | Criterion | Measured | Completed |",
        "|---|---|---|---|---|---|---|---|",
      );
    }
    const measured = item.measuredText
      ? `${item.measuredPassing ? "PASS" : "FAIL"}: ${item.measuredText}`
      : item.criterion
        ? "not measured"
        : "";
    const completed = item.completedAt ? `${when(item.completedAt, tz)} by ${person(item.completedBy ?? "?")}` : "";
    lines.push(
      `| ${item.number} | ${cell(item.text)} | ${item.ownerId ? person(item.ownerId) : "no owner"} | ${STATE[item.state] ?? item.state} | ${cell(item.justification ?? "")} | ${cell(item.criterion?.label ?? "")} | ${cell(measured)} | ${completed} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}
