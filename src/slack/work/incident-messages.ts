import { checklistBlocks, checklistText, incidentHeaderBlocks, incidentHeaderText, incidentTopic } from "../../../blocks/incident.js";
import { METADATA } from "../../chat/ids.js";
import type { ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { type IncidentMessages, playbookView } from "../../incidents/render-messages.js";
import { toIncidentView } from "../../incidents/view.js";
import { loadIncidentItems } from "../../incidents/incident-checklist.js";

export const PLAYBOOK_TITLE = "Rollback playbook: DETECT → ASSESS → MITIGATE → COMMUNICATE → RESOLVE";

/** The pinned header, the playbook checklist and the topic, for the provision and render jobs. */
export function incidentMessages(ctx: AppContext): IncidentMessages {
  return {
    header: (inc, links, items) => {
      const view = toIncidentView(inc);
      view.deadlines = headerDeadlines(ctx, inc);
      const next = inc.status === "resolved" ? undefined : items.find((i) => i.state === "todo");
      view.nextStep = next ? { number: next.number, text: next.text, ownerId: next.ownerId } : null;
      view.links = links;
      return {
        text: incidentHeaderText(view),
        blocks: incidentHeaderBlocks(view, ctx.config.timezone),
        metadata: { event_type: METADATA.header, event_payload: { incident_id: inc.id } },
      };
    },
    playbook: (inc, items) => {
      const p = playbookView(ctx, inc, items);
      return {
        text: checklistText(PLAYBOOK_TITLE, p.items),
        blocks: checklistBlocks(p.incidentId, "playbook", PLAYBOOK_TITLE, p.items, {
          targets: p.targets,
          resolved: p.resolved,
          compact: true,
        }),
        metadata: { event_type: METADATA.playbook, event_payload: { incident_id: p.incidentId } },
      };
    },
    topic: (inc) => incidentTopic(toIncidentView(inc)),
  };
}

/** Every step of the playbook in full (*Show all steps*, `/incident show all`), shown only to whoever asked. */
export async function fullPlaybook(ctx: AppContext, inc: Parameters<IncidentMessages["header"]>[0]): Promise<ChatMessage> {
  const p = playbookView(ctx, inc, await loadIncidentItems(ctx.prisma, inc.id, "playbook"));
  return {
    text: checklistText(PLAYBOOK_TITLE, p.items),
    blocks: checklistBlocks(p.incidentId, "playbook", PLAYBOOK_TITLE, p.items, { targets: p.targets, resolved: p.resolved }),
  };
}

/** Ack and mitigation deadlines of the clocks still running (both start at detection). */
function headerDeadlines(ctx: AppContext, inc: Parameters<IncidentMessages["header"]>[0]): { clock: string; at: Date }[] {
  if (inc.status === "resolved") return [];
  const at = (seconds: number) => new Date(inc.detectedAt.getTime() + seconds * 1000);
  const out: { clock: string; at: Date }[] = [];
  if (!inc.acknowledgedAt) out.push({ clock: "ack", at: at(ctx.config.targets.ack) });
  if (!inc.mitigatedAt && inc.status !== "mitigated") out.push({ clock: "mitigate", at: at(ctx.config.targets.mitigate) });
  return out;
}
