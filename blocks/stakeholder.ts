import { localMinute } from "../src/text/local-time.js";
import { TZDate } from "@date-fns/tz";
import type { KnownBlock, ModalView } from "@slack/web-api";
import { format } from "date-fns";
import { incidentRef } from "../src/incidents/naming.js";
import { ACTIONS, VIEWS } from "../src/chat/ids.js";
import { button, context, esc, header, LIMITS, plain as plainText, section, truncate } from "./text.js";

/** A message: fallback text plus Slack's block types (what ChatPort.post takes). */
type BlockMessage = { text: string; blocks: KnownBlock[] };

/** What a stakeholder message needs to know about an incident (no database rows here). */
export interface StakeholderIncident {
  ref: string; // INC-42
  title: string;
  severity: string;
  status: string;
  channelId?: string | null;
}

const hhmm = (d: Date, tz: string) => format(new TZDate(d, tz), "HH:mm");
const dayTime = localMinute;
const where = (inc: StakeholderIncident) => (inc.channelId ? ` in <#${inc.channelId}>` : "");

const STATUS_PLAIN: Record<string, string> = {
  investigating: "We are investigating the problem.",
  identified: "We have found the cause and are working on a fix.",
  mitigated: "The impact has been mitigated; we are watching closely before closing the incident.",
  resolved: "The incident is resolved.",
};

/**
 * A stakeholder update: the text, the incident's title, severity, status and the next update time.
 * `automatic` marks the cadence posts (they say so, so no one mistakes them for a human update).
 */
export function stakeholderUpdateMessage(
  inc: StakeholderIncident,
  update: { text: string; authorId: string | null; automatic: boolean; nextUpdateAt: Date; timezone: string },
): BlockMessage {
  const next = `${hhmm(update.nextUpdateAt, update.timezone)} ${update.timezone}`;
  const title = `${update.automatic ? "🕒 Scheduled status" : "📣 Stakeholder update"}: ${inc.ref} ${inc.title}`;
  const facts = `*Severity:* ${inc.severity}   *Status:* ${inc.status}   *Next update:* ${next}`;
  const by = update.authorId ? ` from <@${update.authorId}>` : "";
  return {
    text: truncate(`${esc(title)}\n${esc(update.text)}\nSeverity ${inc.severity} · Status ${inc.status} · Next update by ${next}`, 3000),
    blocks: [
      header(title),
      section(esc(update.text) || "_(no text)_"),
      section(facts),
      context(`${update.automatic ? "Automatic cadence update" : `Update${by}`}${where(inc)} · next update by ${next}`),
    ],
  };
}

/** Plain-language note for stakeholders when the status changes. */
export function statusChangeMessage(
  inc: StakeholderIncident,
  from: string,
  to: string,
  actorId: string,
  summary: string | null,
): BlockMessage {
  const plain = STATUS_PLAIN[to] ?? `Status is now ${to}.`;
  const extra = summary ? ` ${summary}` : "";
  const text = `${inc.ref} ${esc(inc.title)} (${inc.severity}): ${esc(plain + extra)} (status ${from} → ${to})`;
  return {
    text: truncate(text, 3000),
    blocks: [
      section(`*${esc(inc.ref)} ${esc(inc.title)}* · ${inc.severity}\n${esc(plain + extra)}`),
      context(`Status ${from} → *${to}* by <@${actorId}>${where(inc)}`),
    ],
  };
}

export interface LeadershipSummary {
  inc: StakeholderIncident & { category: string | null; service: string | null; userFacing: boolean };
  impact: string;
  rootCause: string | null;
  actionItems: { id: number; text: string; ownerId: string; dueDate: string | null; status: string }[];
  highlights: { label: string; at: Date | null }[];
  timezone: string;
}

/** The leadership summary: impact, root cause, action items and timeline highlights. */
export function leadershipSummaryMessage(s: LeadershipSummary): BlockMessage {
  const { inc } = s;
  const title = `Leadership summary: ${inc.ref} ${inc.title}`;
  const impact = `*Impact:* ${esc(s.impact)}`;
  const cause = `*Root cause:* ${s.rootCause ? esc(s.rootCause) : "not yet known"}`;
  const items = s.actionItems.length
    ? s.actionItems
        .map(
          (a) => `• #${a.id} ${esc(a.text)} — <@${a.ownerId}>${a.dueDate ? `, due ${a.dueDate}` : ""}${a.status === "done" ? " ✅" : ""}`,
        )
        .join("\n")
    : "• none recorded yet";
  const timeline = s.highlights
    .filter((h) => h.at)
    .map((h) => `• ${dayTime(h.at!, s.timezone)} ${h.label}`)
    .join("\n");
  const facts = `*Severity:* ${inc.severity}   *Status:* ${inc.status}${inc.category ? `   *Category:* ${inc.category}` : ""}${inc.userFacing ? "   *User-facing:* yes" : ""}`;
  const plain = [
    esc(title),
    `Severity ${inc.severity}, status ${inc.status}`,
    `Impact: ${esc(s.impact)}`,
    `Root cause: ${s.rootCause ? esc(s.rootCause) : "not yet known"}`,
    `Action items:\n${items.replace(/\*/g, "")}`,
    `Timeline highlights (${s.timezone}):\n${timeline}`,
  ].join("\n");
  return {
    text: truncate(plain, 3000),
    blocks: [
      header(title),
      section(facts),
      section(impact),
      section(cause),
      section(`*Action items*\n${items}`),
      section(`*Timeline highlights* (${s.timezone})\n${timeline || "—"}`),
    ],
  };
}

/** The drafted product update offered to the comms owner, with Send and Edit buttons. */
export function productUpdateOfferMessage(
  incidentId: number,
  draft: string,
  mentionIds: string[],
  dueAt: Date,
  timezone: string,
): BlockMessage {
  const who = mentionIds.length ? `${mentionIds.map((u) => `<@${u}>`).join(" ")} ` : "";
  const due = `${hhmm(dueAt, timezone)} ${timezone}`;
  const value = JSON.stringify({ i: incidentId, t: truncate(draft, 1800) });
  return {
    text: `${who}📝 The product update is due by ${due}. Draft:\n${esc(draft)}`,
    blocks: [
      section(`${who}📝 The product / business update is due by *${due}*. Here is a draft from the incident's state:`),
      section(`>${esc(truncate(draft, LIMITS.sectionText - 10)).replace(/\n/g, "\n>")}`),
      {
        type: "actions",
        block_id: `product_update|${incidentId}`,
        elements: [button("Send", ACTIONS.sendProductUpdate, value, "primary"), button("Edit", ACTIONS.editProductUpdate, value)],
      },
    ],
  };
}

export const PRODUCT_UPDATE_FIELD = { block: "update_text", action: "update_text_input" } as const;

/** Modal to edit the drafted product update before it is sent. */
export function productUpdateModal(incidentId: number, draft: string): ModalView {
  return {
    type: "modal",
    callback_id: VIEWS.productUpdate,
    private_metadata: String(incidentId),
    title: plainText(truncate(`Update ${incidentRef(incidentId)}`, LIMITS.modalTitle)),
    submit: plainText("Send"),
    close: plainText("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: PRODUCT_UPDATE_FIELD.block,
        label: plainText("Stakeholder update"),
        element: {
          type: "plain_text_input",
          action_id: PRODUCT_UPDATE_FIELD.action,
          multiline: true,
          max_length: 2900,
          initial_value: truncate(draft, 2900),
        },
      },
    ],
  };
}

/** A clock nudge / escalation line for the incident channel. */
export function formatTarget(seconds: number): string {
  if (seconds % 86400 === 0) return plural(seconds / 86400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return plural(seconds / 60, "minute");
  return plural(seconds, "second");
}
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

export interface ClockAlarm {
  label: string; // "Acknowledge"
  targetSeconds: number;
  sinceWhat: string; // "detection", "the incident became user-facing"
}

/** One message for every clock that fired in one evaluation: missed targets first, then escalations. */
export function clockAlarmMessage(
  ref: string,
  nudges: ClockAlarm[],
  escalations: ClockAlarm[],
  nudgeMentions: string[],
  escalationMentions: string[],
): BlockMessage {
  const lines: string[] = [];
  const m = (ids: string[]) => (ids.length ? ` ${ids.map((u) => `<@${u}>`).join(" ")}` : "");
  if (nudges.length === 1) {
    const n = nudges[0]!;
    lines.push(`⏰ ${n.label} target missed: ${formatTarget(n.targetSeconds)} since ${n.sinceWhat}.${m(nudgeMentions)}`);
  } else if (nudges.length > 1) {
    lines.push(`⏰ ${nudges.length} targets missed on ${ref}:${m(nudgeMentions)}`);
    for (const n of nudges) lines.push(`• ${n.label} target missed: ${formatTarget(n.targetSeconds)} since ${n.sinceWhat}`);
  }
  for (const e of escalations) {
    lines.push(
      `🚨 Escalating ${ref}: ${e.label} still unmet at twice its ${formatTarget(e.targetSeconds)} target (${formatTarget(2 * e.targetSeconds)} since ${e.sinceWhat}).${m(escalationMentions)}`,
    );
  }
  const text = truncate(lines.join("\n"), 3000);
  return { text, blocks: [section(text)] };
}
