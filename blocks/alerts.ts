import type { KnownBlock } from "@slack/web-api";
import { incidentRef as refOf } from "../src/incidents/naming.js";
import { ACTIONS } from "../src/chat/ids.js";
import { type AlertView, senderName } from "../src/alerts/alert-view.js";
import { button, capBlocks, context, esc, LIMITS, section, truncate } from "./text.js";

export type { AlertView };

const MAX_LABELS = 20;

/** One line: severity, title, metric and its judgement. */
export function alertLine(a: AlertView): string {
  const metric = a.metricName ? ` · ${a.metricName}=${a.metricValue ?? "?"}` : "";
  const reason = a.severityReason ? ` (${a.severityReason})` : "";
  return `*${a.severity}* ${esc(truncate(a.title, 200))}${esc(metric)}${esc(reason)}`;
}

function labelsText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  const shown = entries.slice(0, MAX_LABELS).map(([k, v]) => `\`${esc(truncate(k, 60))}=${esc(truncate(v, 120))}\``);
  return shown.join(" ") + (entries.length > MAX_LABELS ? ` …+${entries.length - MAX_LABELS}` : "");
}

function linksText(links: AlertView["links"]): string {
  return links
    .slice(0, 10)
    .map((l) => `<${l.url.replace(/[<>|]/g, encodeURIComponent)}|${esc(truncate(l.text, 60)).replace(/\|/g, "¦")}>`)
    .join(" · ");
}

/** A message: fallback text plus Slack's block types (what ChatPort.post takes). */
export interface BlockMessage {
  text: string;
  blocks: KnownBlock[];
}

function detailBlocks(a: AlertView): KnownBlock[] {
  const blocks: KnownBlock[] = [section(alertLine(a))];
  if (a.description) blocks.push(section(esc(truncate(a.description, 1500))));
  const labels = labelsText(a.labels);
  const links = linksText(a.links);
  const ctx = [`source: ${esc(senderName(a))}`, labels, links].filter(Boolean);
  blocks.push(context(...ctx.map((t) => truncate(t, 2000))));
  return blocks;
}

/** Posted in the incident channel when an alert opens it: the alert context. */
export function alertOpenedMessage(incidentRef: string, a: AlertView): BlockMessage {
  return {
    text: truncate(`🚨 ${incidentRef} opened by a ${esc(senderName(a))} alert: ${esc(a.title)}`, 3000),
    blocks: [section(`🚨 *${incidentRef}* was opened by this alert`), ...detailBlocks(a)],
  };
}

/** P3/P4 alert in the triage channel with Declare / Dismiss buttons. */
export function triageMessage(a: AlertView): BlockMessage {
  return {
    text: truncate(`${a.severity} alert: ${esc(a.title)}`, 3000),
    blocks: [
      ...detailBlocks(a),
      {
        type: "actions",
        block_id: `alert_triage|${a.id}`,
        elements: [
          button("Declare incident", ACTIONS.declareFromAlert, String(a.id), "primary"),
          button("Dismiss", ACTIONS.dismissAlert, String(a.id)),
        ],
      },
    ],
  };
}

/** The triage message after someone acted on it (buttons removed). */
export function triageDoneMessage(a: AlertView, outcome: string): BlockMessage {
  return { text: truncate(`${esc(a.title)}: ${outcome}`, 3000), blocks: [...detailBlocks(a), context(outcome)] };
}

/** Alerts of an incident that arrived (or resolved) since the last digest, in one message. */
export function alertDigestMessage(incidentRef: string, alerts: AlertView[]): BlockMessage {
  const firing = alerts.filter((a) => a.status !== "resolved");
  const resolved = alerts.filter((a) => a.status === "resolved");
  const summary = [firing.length && `${firing.length} firing`, resolved.length && `${resolved.length} resolved`].filter(Boolean).join(", ");
  const lines = alerts.map((a) => `${a.status === "resolved" ? "✅ resolved" : "🔥 firing"} · ${alertLine(a)}`);
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const l = truncate(line, 1000);
    if (current.length + l.length + 1 > 2900) {
      chunks.push(current);
      current = "";
    }
    current += (current ? "\n" : "") + l;
  }
  if (current) chunks.push(current);
  const blocks: KnownBlock[] = [section(`📟 *Alerts for ${incidentRef}* — ${summary}`), ...chunks.map((c) => section(c))];
  return {
    text: `Alerts for ${incidentRef}: ${summary}`,
    blocks: capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more blocks of alerts.`),
  };
}

/** Every alert of the incident has resolved: offer to move the incident on. */
export function allAlertsResolvedPrompt(incidentId: number): BlockMessage {
  return {
    text: `Every alert of ${refOf(incidentId)} has resolved. Mark the incident mitigated or resolved?`,
    blocks: [
      section(`✅ Every alert of *${refOf(incidentId)}* has resolved. Mark the incident mitigated or resolved?`),
      {
        type: "actions",
        block_id: `alerts_resolved|${incidentId}`,
        elements: [
          button("Mark mitigated", ACTIONS.markMitigated, String(incidentId)),
          button("Mark resolved", ACTIONS.markResolved, String(incidentId), "primary"),
        ],
      },
    ],
  };
}

/** `/incident alerts`: recent alerts that opened no incident. */
export function unincidentedAlertsBlocks(rows: AlertView[]): KnownBlock[] {
  if (rows.length === 0) return [section("No recent alerts without an incident.")];
  const lines = rows.map((a) => {
    const marks = [
      a.silenceId ? `🔕 silenced by S-${a.silenceId}` : null,
      a.declinedAt ? "dismissed" : null,
      a.status === "resolved" ? "resolved" : null,
      a.count && a.count > 1 ? `×${a.count}` : null,
    ].filter(Boolean);
    return `#${a.id} ${alertLine(a)}${marks.length ? ` — ${marks.join(", ")}` : ""}`;
  });
  const blocks = [section(`*Recent alerts that opened no incident* (${rows.length})`), ...lines.map((l) => section(truncate(l, 2900)))];
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more.`);
}
