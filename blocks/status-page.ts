import type { KnownBlock, ModalView } from "@slack/web-api";
import { ACTIONS, STATUS_EDIT_FIELDS, VIEWS } from "../src/chat/ids.js";
import type { StatusPreview } from "../src/status/status-preview.js";
import { button, context, esc, LIMITS, plain, section, truncate } from "./text.js";

type BlockMessage = { text: string; blocks: KnownBlock[] };

const WORDS: Record<string, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  operational: "Operational",
  degraded_performance: "Degraded performance",
  partial_outage: "Partial outage",
  major_outage: "Major outage",
  under_maintenance: "Under maintenance",
};

const quote = (t: string) => `>${esc(t).replace(/\n/g, "\n>")}`;

/** The ephemeral preview: exactly what the public page will show, with Publish / Edit (the button value is the draft id). */
export function statusPreviewMessage(p: StatusPreview, publicUrl?: string): BlockMessage {
  const comps = p.components.length
    ? p.components.map((c) => `${esc(c.name)}: ${WORDS[c.status]}`).join(" · ")
    : `none marked — \`/incident statuspage component <id> <status>\` with ${p.componentIds.map((i) => `\`${i}\``).join(", ")}`;
  const nameLine = p.nameIsDefault
    ? `*Public name:* ${esc(p.name)} _(a default: Edit to name it in plain language; the internal title is never used)_`
    : `*Public name:* ${esc(p.name)}`;
  const value = String(p.draftId);
  return {
    text: `Preview of the status-page update (${WORDS[p.status]}): ${truncate(p.text, 2000)}`,
    blocks: [
      section(
        `🌐 *Preview — nothing is public until you publish${p.firstPublish ? " (this will be the incident's first public update)" : ""}*${publicUrl ? ` · <${publicUrl}|status page>` : ""}`,
      ),
      section(truncate(`${nameLine}\n*Status:* ${WORDS[p.status]}\n*Components:* ${comps}`, LIMITS.sectionText)),
      section(truncate(quote(p.text), LIMITS.sectionText)),
      {
        type: "actions",
        block_id: `status_preview|${p.draftId}`,
        elements: [button("Publish", ACTIONS.publishStatus, value, "primary"), button("Edit", ACTIONS.editStatus, value)],
      },
      context(
        `End users see this text, the name and the statuses above; no title, severity, channel or person.${
          p.userFacing ? "" : " The incident is not marked user-facing: `/incident user-facing on` if end users are affected."
        }`,
      ),
    ],
  };
}

/** After Publish: the preview replaced by what happened. */
export function statusPublishedMessage(status: string, alreadyPublished: boolean, url: string | null): { text: string } {
  if (alreadyPublished) return { text: "This update was already published; nothing changed." };
  return { text: `✅ Published to the ${url ? `<${url}|status page>` : "status page"} (${WORDS[status] ?? status}).` };
}

/** Edit: the public name and the text; submitting publishes. */
export function statusEditModal(p: StatusPreview): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.statusEdit,
    private_metadata: String(p.draftId),
    title: plain(truncate("Status page update", LIMITS.modalTitle)),
    submit: plain("Publish"),
    close: plain("Cancel"),
    blocks: [
      section(`*Status:* ${WORDS[p.status]}. Everything here is public.`),
      {
        type: "input",
        block_id: STATUS_EDIT_FIELDS.name.block,
        label: plain("Public name of the incident"),
        hint: plain("Plain language for end users, e.g. “Lead scores delayed”."),
        element: {
          type: "plain_text_input",
          action_id: STATUS_EDIT_FIELDS.name.action,
          max_length: 120,
          initial_value: truncate(p.name, 120),
        },
      },
      {
        type: "input",
        block_id: STATUS_EDIT_FIELDS.text.block,
        label: plain("Update for the status page"),
        element: {
          type: "plain_text_input",
          action_id: STATUS_EDIT_FIELDS.text.action,
          multiline: true,
          max_length: 2000,
          initial_value: truncate(p.text, 2000),
        },
      },
    ],
  };
}
