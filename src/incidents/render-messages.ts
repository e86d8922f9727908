import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { playbookFor } from "../playbooks/playbook-for.js";
import type { Category } from "./types.js";
import type { IncidentLinkView } from "./incident-links.js";
import type { ChecklistItemView } from "./view.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;

/**
 * The incident's channel messages as the edge words them (src/slack/work/incident-messages.ts): provisioning
 * and the render job are handed one, so the domain never calls a presenter itself.
 */
export interface IncidentMessages {
  /**
   * `links`: loadIncidentLinks(); `items`: the playbook's items (loadIncidentItems). Both loaded by the caller, once
   * for the header and the playbook (the render job also compares the links with the bookmarks).
   */
  header(inc: IncidentRow, links: IncidentLinkView[], items: ChecklistItemView[]): ChatMessage;
  playbook(inc: IncidentRow, items: ChecklistItemView[]): ChatMessage;
  topic(inc: IncidentRow): string;
}

/** What the playbook message shows: its items, each step's target and whether the incident is resolved. */
export interface PlaybookView {
  incidentId: number;
  items: ChecklistItemView[];
  targets: Record<string, string>;
  resolved: boolean;
}

export function playbookView(ctx: AppContext, inc: IncidentRow, items: ChecklistItemView[]): PlaybookView {
  const targets: Record<string, string> = {};
  for (const step of playbookFor(ctx.config, inc.category as Category | null).steps) {
    if (step.target) targets[step.key] = step.target;
  }
  return { incidentId: inc.id, items, targets, resolved: inc.status === "resolved" };
}
