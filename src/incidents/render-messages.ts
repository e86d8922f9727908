import {
  checklistBlocks,
  checklistText,
  incidentHeaderBlocks,
  incidentHeaderText,
  incidentTopic,
} from "../../blocks/incident.js";
import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { playbookFor } from "../playbooks/playbook-for.js";
import { METADATA } from "../chat/ids.js";
import type { Category } from "./types.js";
import { toIncidentView, toItemView } from "./view.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;

export const PLAYBOOK_TITLE = "Rollback playbook: DETECT → ASSESS → MITIGATE → COMMUNICATE → RESOLVE";

export function headerMessage(ctx: AppContext, inc: IncidentRow): ChatMessage {
  const view = toIncidentView(inc);
  return {
    text: incidentHeaderText(view),
    blocks: incidentHeaderBlocks(view, ctx.config.timezone),
    metadata: { event_type: METADATA.header, event_payload: { incident_id: inc.id } },
  };
}

export async function playbookMessage(ctx: AppContext, inc: IncidentRow): Promise<ChatMessage> {
  const items = await ctx.prisma.checklistItem.findMany({
    where: { incidentId: inc.id, list: "playbook" },
    orderBy: { position: "asc" },
  });
  const targets: Record<string, string> = {};
  for (const step of playbookFor(ctx.config, inc.category as Category | null).steps) {
    if (step.target) targets[step.key] = step.target;
  }
  const views = items.map(toItemView);
  return {
    text: checklistText(PLAYBOOK_TITLE, views),
    blocks: checklistBlocks(inc.id, "playbook", PLAYBOOK_TITLE, views, { targets, resolved: inc.status === "resolved" }),
    metadata: { event_type: METADATA.playbook, event_payload: { incident_id: inc.id } },
  };
}

export function topicFor(inc: IncidentRow): string {
  return incidentTopic(toIncidentView(inc));
}
