import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from "@slack/web-api";
import { incidentRef } from "../src/incidents/naming.js";
import { ACTIONS, IMPACT_FIELDS, VIEWS } from "../src/chat/ids.js";
import type { ReviewMessageView } from "../src/reviews/publish-review.js";
import { button, context, esc, header, plain, section, truncate } from "./text.js";
import { actionItemLine } from "./jira.js";

export type { ReviewMessageView };

const list = (xs: string[]) => (xs.length > 0 ? xs.map((x) => `• ${esc(x)}`).join("\n") : "_nothing proposed_");

export function reviewMessageText(v: ReviewMessageView): string {
  return v.completedAt
    ? `Post-incident review of ${incidentRef(v.incidentId)} is complete.`
    : `Post-incident review draft for ${incidentRef(v.incidentId)}: ${esc(v.title)} — due ${v.dueDate}.`;
}

/** The review summary in the incident channel: due date, impact, proposed facts, and the two buttons. */
export function reviewMessageBlocks(v: ReviewMessageView, webUrl?: string): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header(`Post-incident review · ${incidentRef(v.incidentId)}`),
    section(
      v.completedAt
        ? `✅ *Review complete* (marked by ${v.completedBy ? `<@${v.completedBy}>` : "someone"}).`
        : `📝 *Draft* — due *${v.dueDate}* (5 business days after resolution). The full draft is attached as Markdown${v.filename ? ` (\`${esc(v.filename)}\`)` : ""}.`,
    ),
    section(`*Impact:* ${esc(v.impactText)}`),
    section(truncate(`*What went well (proposed)*\n${list(v.wentWell)}`, 3000)),
    section(truncate(`*What went poorly (proposed)*\n${list(v.wentPoorly)}`, 3000)),
    ...(v.proposedActions.length
      ? [
          section(
            truncate(
              `*Proposed action items*\n${v.proposedActions.map((a) => `• ${esc(a.text)} — owner: ${a.owner ? `<@${a.owner}>` : "_unassigned_"}`).join("\n")}`,
              3000,
            ),
          ),
        ]
      : []),
  ];
  // The items themselves (with their Jira issues), at most 20 lines so the message stays well within a section.
  if (v.actionItems.length > 0) {
    // Whole lines only (a cut could break a link), as many as fit in one section.
    const lines: string[] = [];
    let size = 0;
    for (const a of v.actionItems.slice(0, 20)) {
      const line = actionItemLine(a);
      if (size + line.length > 2800) break;
      lines.push(line);
      size += line.length + 1;
    }
    if (lines.length < v.actionItems.length) lines.push(`…and ${v.actionItems.length - lines.length} more (\`/incident actions\`)`);
    blocks.push(section(`*Action items*\n${lines.join("\n")}`));
  }
  blocks.push(context(`${v.openActionItems} open action item(s) · add one with \`/incident action <text> @owner due YYYY-MM-DD\``));
  if (webUrl) blocks.push(context(`<${webUrl}|${incidentRef(v.incidentId)} with its review draft in the web view>`));
  if (!v.completedAt) {
    blocks.push({
      type: "actions",
      block_id: "review_actions",
      elements: [
        button("Add impact", ACTIONS.reviewImpact, String(v.incidentId)),
        button("Mark review complete", ACTIONS.reviewComplete, String(v.incidentId), "primary"),
      ],
    });
  }
  return blocks;
}

export interface ImpactPrefill {
  usersAffected?: number;
  revenue?: number;
  predictionsAffected?: number;
  dataLoss?: boolean;
}

function numberInput(
  field: { block: string; action: string },
  label: string,
  hint: string,
  initial: number | undefined,
  decimal = false,
): InputBlock {
  return {
    type: "input",
    optional: true,
    block_id: field.block,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: "number_input",
      is_decimal_allowed: decimal,
      action_id: field.action,
      min_value: "0",
      ...(initial !== undefined ? { initial_value: String(initial) } : {}),
    },
  };
}

/** The "Add impact" modal: users affected, revenue, predictions affected, data loss. */
export function reviewImpactModal(incidentId: number, prefill: ImpactPrefill = {}): ModalView {
  const options: PlainTextOption[] = [
    { text: plain("No data loss"), value: "no" },
    { text: plain("Data was lost"), value: "yes" },
  ];
  const initial = prefill.dataLoss === undefined ? undefined : options[prefill.dataLoss ? 1 : 0];
  return {
    type: "modal",
    callback_id: VIEWS.reviewImpact,
    private_metadata: JSON.stringify({ incidentId }),
    title: plain("Incident impact"),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks: [
      section(`Impact of *${incidentRef(incidentId)}* for the post-incident review. Leave a field empty when unknown.`),
      numberInput(
        IMPACT_FIELDS.usersAffected,
        "Users affected",
        "Sales reps or customers who saw wrong or missing scores",
        prefill.usersAffected,
      ),
      numberInput(IMPACT_FIELDS.revenue, "Revenue impact (USD, estimated)", "A rough estimate is fine", prefill.revenue, true),
      numberInput(
        IMPACT_FIELDS.predictionsAffected,
        "Predictions affected",
        "Scores served wrong or not at all",
        prefill.predictionsAffected,
      ),
      {
        type: "input",
        optional: true,
        block_id: IMPACT_FIELDS.dataLoss.block,
        label: plain("Data loss"),
        element: {
          type: "static_select",
          action_id: IMPACT_FIELDS.dataLoss.action,
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
    ],
  };
}
