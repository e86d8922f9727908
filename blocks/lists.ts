import { localMinute } from "../src/text/local-time.js";
import { TZDate } from "@date-fns/tz";
import type { KnownBlock } from "@slack/web-api";
import { format, formatDistanceStrict } from "date-fns";
import { incidentRef } from "../src/incidents/naming.js";
import { capBlocks, context, esc, escKeepMentions, header, LIMITS, packLines, section, truncate } from "./text.js";

export interface IncidentListRow {
  id: number;
  title: string;
  severity: string;
  status: string;
  channelId: string | null;
  leadId: string | null;
  declaredAt: Date;
  isPrivate: boolean;
}

export function incidentListBlocks(rows: IncidentListRow[], now: Date): KnownBlock[] {
  if (rows.length === 0) return [section("No open incidents. 🎉")];
  const blocks: KnownBlock[] = [
    header(`Open incidents (${rows.length})`),
    ...rows.map((r) =>
      section(
        `*${incidentRef(r.id)}* ${r.severity} · ${r.status}${r.isPrivate ? " · 🔒" : ""} — ${esc(r.title)}\n` +
          `${r.channelId ? `<#${r.channelId}>` : "_channel being created_"} · lead ${r.leadId ? `<@${r.leadId}>` : "_unassigned_"} · open for ${formatDistanceStrict(r.declaredAt, now)}`,
      ),
    ),
  ];
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more.`);
}

export interface TimelineRow {
  at: Date;
  kind: string;
  actorId: string | null;
  text: string | null;
}

/** The timeline in order, HH:MM in the configured zone; long timelines are packed several lines per block. */
export function timelineBlocks(incidentId: number, rows: TimelineRow[], tz: string): KnownBlock[] {
  const lines = rows.map((r) => {
    const time = format(new TZDate(r.at, tz), "MM-dd HH:mm");
    const who = r.actorId && /^[UW]/.test(r.actorId) ? ` <@${r.actorId}>` : r.actorId ? ` ${esc(r.actorId)}` : "";
    return `\`${time}\`${who} ${escKeepMentions(truncate(r.text ?? r.kind, 400))}`;
  });
  const chunks = packLines(lines, 2900);
  const blocks: KnownBlock[] = [
    header(`Timeline · ${incidentRef(incidentId)}`),
    ...chunks.map((c) => section(c)),
    context(`Times in ${tz}`),
  ];
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…${n} more blocks of timeline left out.`);
}

export function timelineText(rows: TimelineRow[], tz: string): string {
  return rows.map((r) => `${localMinute(r.at, tz)} ${escKeepMentions(r.text ?? r.kind)}`).join("\n");
}
