import type { KnownBlock, ModalView } from "@slack/web-api";
import { ACTIONS, STATUS_EDIT_FIELDS, VIEWS } from "../src/chat/ids.js";
import type { StatusPreview } from "../src/status/status-preview.js";
import type { MaintenancePreview } from "../src/status/schedule-maintenance.js";
import type { MaintenanceListItem } from "../src/status/list-maintenance.js";
import { button, context, esc, LIMITS, plain, section, truncate } from "./text.js";
import { localMinute } from "../src/text/local-time.js";

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

const MAINTENANCE_WORDS: Record<string, string> = { scheduled: "Scheduled", in_progress: "In progress", completed: "Completed" };

/** A time in the configured zone and in UTC, the way the person typed it and the way the page shows it. */
function windowText(from: Date, until: Date, tz: string): string {
  const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
  return `${localMinute(from, tz)} to ${localMinute(until, tz)} ${tz} (${utc(from)} to ${utc(until)} UTC)`;
}

/** The ephemeral preview of a maintenance window: exactly what the page will show, with Publish (the value is its id). */
export function maintenancePreviewMessage(p: MaintenancePreview, publicUrl?: string): BlockMessage {
  const comps = p.components.map((c) => `${esc(c.name)} (\`${c.id}\`)`).join(", ");
  return {
    text: `Preview of scheduled maintenance #${p.id}: ${truncate(p.name, 200)}`,
    blocks: [
      section(
        `🌐 *Preview — scheduled maintenance #${p.id}; nothing is public until you publish*${publicUrl ? ` · <${publicUrl}|status page>` : ""}`,
      ),
      section(
        truncate(
          `*Title:* ${esc(p.name)}\n*When:* ${windowText(p.scheduledFor, p.scheduledUntil, p.timezone)}\n*Status:* ${MAINTENANCE_WORDS[p.status]}\n*Under maintenance during the window:* ${comps}`,
          LIMITS.sectionText,
        ),
      ),
      {
        type: "actions",
        block_id: `maintenance_preview|${p.id}`,
        elements: [button("Publish", ACTIONS.publishMaintenance, String(p.id), "primary")],
      },
      context("End users see the title, the times and the components; to change anything, schedule it again."),
    ],
  };
}

/** After Publish: the preview replaced by what happened. */
export function maintenancePublishedMessage(r: { id: number; name: string; alreadyPublished: boolean; url: string | null }): {
  text: string;
} {
  if (r.alreadyPublished) return { text: `Maintenance #${r.id} was already published; nothing changed.` };
  return {
    text: `✅ Maintenance #${r.id} “${esc(r.name)}” is on the ${r.url ? `<${r.url}|status page>` : "status page"}. End it early with \`/incident maintenance complete ${r.id}\`, or \`cancel ${r.id}\`.`,
  };
}

/** `maintenance list`. */
export function maintenanceListText(items: MaintenanceListItem[], tz: string): string {
  if (!items.length) return "No upcoming or in-progress maintenance. Schedule one with `/incident maintenance schedule …`.";
  return [
    "*Upcoming and in-progress maintenance*",
    ...items.map(
      (m) =>
        `• #${m.id} ${esc(m.name)} — ${MAINTENANCE_WORDS[m.status]}, ${windowText(m.scheduledFor, m.scheduledUntil, tz)} — ${m.components.map(esc).join(", ")}` +
        (m.failure ? ` — ⚠️ not mirrored to Statuspage: ${esc(m.failure)}` : ""),
    ),
  ].join("\n");
}
