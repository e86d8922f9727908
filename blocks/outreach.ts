import type { KnownBlock } from "@slack/web-api";
import { context, esc, section, truncate } from "./text.js";

/** A message: fallback text plus Slack's block types (what ChatPort.post takes). */
type BlockMessage = { text: string; blocks: KnownBlock[] };

export interface MailNoticeFacts {
  ref: string;
  /** "leadership summary" / "product update" */
  mailName: string;
  to: string[];
  attempts: number;
  error: string | null;
}

const recipients = (to: string[]) => (to.length <= 3 ? to.join(", ") : `${to.slice(0, 3).join(", ")} and ${to.length - 3} more`);

/** Said once when an owed email keeps failing: what, to whom, why, and that it is still being retried. */
export function mailFailingMessage(f: MailNoticeFacts): BlockMessage {
  const what = `⚠️ The ${f.mailName} email for ${f.ref} to ${recipients(f.to)} could not be sent after ${f.attempts} attempts: ${f.error ?? "unknown error"}.`;
  const next = "It is retried automatically with backoff; nothing is lost. Check SMTP_URL and the mail relay if this goes on.";
  return {
    text: truncate(`${what} ${next}`, 3000),
    blocks: [section(truncate(esc(what), 2990)), context(next)],
  };
}

/** After a failing notice: the email got through after all. */
export function mailDeliveredMessage(f: MailNoticeFacts): BlockMessage {
  const what = `📧 The ${f.mailName} email for ${f.ref} was delivered to ${recipients(f.to)} after ${f.attempts} attempts.`;
  return { text: what, blocks: [section(esc(what))] };
}

/** `/incident summary --preview`: the summary as leadership will get it, before anything is sent. */
export function summaryPreviewReply(
  mail: { subject: string; text: string },
  to: string[],
  stakeholderChannelId: string | null,
): BlockMessage {
  const where = [
    stakeholderChannelId ? `<#${stakeholderChannelId}>` : "this incident channel (STAKEHOLDER_CHANNEL_ID is not set)",
    to.length ? `email to ${recipients(to)}` : null,
  ]
    .filter(Boolean)
    .join(" and ");
  const intro = `Preview of the leadership summary. \`/incident summary\` sends it to ${where}. Nothing was sent.`;
  return {
    text: truncate(`${intro}\nSubject: ${mail.subject}\n${mail.text}`, 3000),
    blocks: [
      section(intro),
      section(truncate(`*Subject:* ${esc(mail.subject)}`, 2990)),
      section(truncate("```" + esc(mail.text) + "```", 2990)),
    ],
  };
}

export interface PageNoticeFacts {
  ref: string;
  action: string;
  dedupKey: string;
  reason: string;
  message: string | null;
  actorId: string | null;
  attempts: number;
  error: string | null;
  refused: boolean;
}

/** A trigger PagerDuty accepted: the on-call is being paged, and why. */
export function pageSentMessage(f: PageNoticeFacts): BlockMessage {
  const why = f.message ? `: ${f.message}` : ` (${f.reason})`;
  const who = f.actorId && /^[UW]/.test(f.actorId) ? ` at <@${f.actorId}>'s request` : "";
  const text = `📟 Paged the on-call through PagerDuty${who}${why}. \`/incident ack\` acknowledges it there too.`;
  return {
    text: truncate(text, 3000),
    blocks: [
      section(truncate(`📟 Paged the on-call through PagerDuty${who}${esc(why)}.`, 2990)),
      context(`dedup key \`${f.dedupKey}\` · \`/incident ack\` acknowledges it in PagerDuty, \`resolve\` resolves it`),
    ],
  };
}

/** PagerDuty refused an event (400: never retried), or could not be reached after a few attempts (still retried). */
export function pageFailedMessage(f: PageNoticeFacts): BlockMessage {
  const what = f.action === "trigger" ? "page" : `${f.action}`;
  const head = f.refused
    ? `⚠️ PagerDuty refused the ${what} for ${f.ref}: ${f.error ?? "no reason given"}. Nobody was paged by it; check PAGERDUTY_ROUTING_KEY and page by phone if it is urgent.`
    : `⚠️ The PagerDuty ${what} for ${f.ref} could not be sent after ${f.attempts} attempts: ${f.error ?? "unknown error"}. It is retried automatically with backoff.`;
  return { text: truncate(head, 3000), blocks: [section(truncate(esc(head), 2990))] };
}

export interface OnCallView {
  scheduleName: string;
  name: string;
  email: string | null;
  slackId: string | null;
  level: number;
}

const personLine = (p: OnCallView) =>
  `${p.slackId ? `<@${p.slackId}>` : `${esc(p.name)}${p.email ? ` (${esc(p.email)}, not found in Slack)` : " (no email in PagerDuty)"}`} — ${esc(p.scheduleName)}${p.level > 1 ? `, level ${p.level}` : ""}`;

// At most 20 people per list, so both lists always fit in one message.
const capped = (people: OnCallView[]) =>
  [...people.slice(0, 20).map((p) => `• ${personLine(p)}`), ...(people.length > 20 ? [`…and ${people.length - 20} more`] : [])].join("\n");

/** Posted in a new incident channel: who is on call and was invited, and who could not be found in Slack. */
export function onCallInvitedMessage(invited: OnCallView[], missing: OnCallView[]): BlockMessage {
  const lines = [
    invited.length ? `📟 On call now (PagerDuty), invited:\n${capped(invited)}` : "📟 Nobody on call could be matched to a Slack user.",
    missing.length ? `Could not invite (no Slack account with their PagerDuty email):\n${capped(missing)}` : null,
  ].filter(Boolean) as string[];
  return { text: truncate(lines.join("\n"), 3000), blocks: lines.map((l) => section(truncate(l, 2990))) };
}

/** PagerDuty could not say who is on call: the incident opened anyway, with INCIDENT_RESPONDERS. */
export function onCallLookupFailedMessage(error: string, responders: string[]): BlockMessage {
  const who = responders.length
    ? `INCIDENT_RESPONDERS (${responders.map((u) => `<@${u}>`).join(", ")}) were invited instead.`
    : "Invite the on-call by hand.";
  const text = `⚠️ Could not look up who is on call: ${esc(error)}. ${who}`;
  return { text, blocks: [section(truncate(text, 2990))] };
}

/** \`/incident oncall\`: who is on call now, per schedule. */
export function onCallListText(people: OnCallView[]): string {
  if (people.length === 0) return "Nobody is on call right now on PAGERDUTY_SCHEDULE_IDS.";
  return truncate([`*On call now* (PagerDuty):`, ...people.map((p) => `• ${personLine(p)}`)].join("\n"), 3000);
}
