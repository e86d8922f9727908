import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { KnownBlock } from "@slack/web-api";
import { ACTIONS } from "../src/chat/ids.js";
import type { AnnouncementView } from "../src/incidents/announcement.js";
import { incidentRef } from "../src/incidents/naming.js";
import { button, context, esc, LIMITS, mention, section, truncate } from "./text.js";

export type { AnnouncementView };

const SEVERITY_EMOJI: Record<string, string> = { P1: "🚨", P2: "🔥", P3: "⚠️", P4: "ℹ️" };

/** The one-line fallback (notifications): what, how bad, where to go. */
export function announcementText(a: AnnouncementView): string {
  const state = a.status === "resolved" ? "resolved" : a.status;
  return truncate(`${incidentRef(a.id)} ${a.severity} ${state}: ${a.title} — join <#${a.channelId}>`, 3000);
}

/** The announcement in INCIDENTS_CHANNEL_ID: title, severity, status, category, model, lead and a Join button; edited in place. */
export function announcementBlocks(a: AnnouncementView, tz: string): KnownBlock[] {
  const resolved = a.status === "resolved";
  const title = `${resolved ? "✅" : (SEVERITY_EMOJI[a.severity] ?? "🚨")} *${incidentRef(a.id)} · ${esc(a.title)}*`;
  const fields = [
    `*Severity*\n${a.severity}`,
    `*Status*\n${resolved ? "✅ resolved" : a.status}`,
    `*Category*\n${a.category ?? "_not classified_"}`,
    `*Model*\n${a.model ? esc(a.model) : a.service ? esc(a.service) : "—"}`,
    `*Lead*\n${mention(a.leadId)}`,
    `*Channel*\n<#${a.channelId}>`,
  ];
  const when = (d: Date) => format(new TZDate(d, tz), "HH:mm");
  const blocks: KnownBlock[] = [
    section(title),
    { type: "section", fields: fields.map((t) => ({ type: "mrkdwn" as const, text: truncate(t, LIMITS.fieldText) })) },
    context(
      resolved && a.resolvedAt
        ? `Detected ${when(a.detectedAt)} · resolved ${when(a.resolvedAt)} (${tz})`
        : `Detected ${when(a.detectedAt)} (${tz}) · updates follow in the incident channel`,
    ),
  ];
  blocks.push({
    type: "actions",
    block_id: "announcement_actions",
    elements: [button(resolved ? "Open channel" : "Join channel", ACTIONS.joinIncident, String(a.id), resolved ? undefined : "primary")],
  });
  return blocks;
}
