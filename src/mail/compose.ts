import { localMinute } from "../text/local-time.js";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { LeadershipFacts } from "../clocks/leadership-facts.js";

/** One email as we send it: both parts carry the same words (the HTML is the text, escaped, with a little structure). */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export type MailKind = "leadership-summary" | "product-update";

export const MAIL_NAMES: Record<MailKind, string> = {
  "leadership-summary": "leadership summary",
  "product-update": "product update",
};

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const dayTime = localMinute;
const hhmm = (d: Date, tz: string) => format(new TZDate(d, tz), "HH:mm");

/** Subject lines stay one line whatever the title holds (a header injection needs a newline). */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

/** `[INC-<n>] <title> — <status>`, the subject every incident email has. */
export function mailSubject(ref: string, title: string, status: string): string {
  return oneLine(`[${ref}] ${title} — ${status}`);
}

interface Section {
  heading: string;
  lines: string[];
}

function render(subject: string, intro: string, sections: Section[], link: string | null, footer: string): ComposedMail {
  const text = [
    subject,
    "",
    intro,
    ...sections.flatMap((s) => ["", `${s.heading}:`, ...s.lines.map((l) => `  ${l.replace(/\n/g, "\n  ")}`)]),
    "",
    link ? `Incident channel: ${link}` : "The incident channel is not open yet.",
    "",
    footer,
  ].join("\n");
  const html = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${esc(subject)}</title></head>`,
    `<body style="font-family:sans-serif;line-height:1.4">`,
    `<h1 style="font-size:18px">${esc(subject)}</h1>`,
    `<p>${esc(intro).replace(/\n/g, "<br>")}</p>`,
    ...sections.map(
      (s) =>
        `<h2 style="font-size:15px">${esc(s.heading)}</h2><ul>${s.lines.map((l) => `<li>${esc(l).replace(/\n/g, "<br>")}</li>`).join("")}</ul>`,
    ),
    link ? `<p><a href="${esc(link)}">Open the incident channel in Slack</a></p>` : "<p>The incident channel is not open yet.</p>",
    `<p style="color:#555;font-size:12px">${esc(footer)}</p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, text, html };
}

const FOOTER = "Sent by the incident bot. Reply in the incident channel, not to this email.";

/**
 * The leadership summary as an email: the same facts as the Slack summary (clocks/leadership-facts.ts). `names`:
 * the action items' owners as Slack shows them (an email is read outside Slack, where `<@U123>` means nothing).
 */
export function leadershipSummaryMail(
  f: LeadershipFacts,
  link: string | null,
  names: ReadonlyMap<string, string> = new Map(),
): ComposedMail {
  const { inc } = f;
  const subject = mailSubject(inc.ref, inc.title, inc.status);
  const facts = [
    `Severity ${inc.severity}, status ${inc.status}`,
    inc.category ? `category ${inc.category}` : null,
    inc.userFacing ? "user-facing" : null,
  ]
    .filter(Boolean)
    .join(", ");
  const items = f.actionItems.length
    ? f.actionItems.map(
        (a) =>
          `#${a.id} ${a.text} (owner: ${names.get(a.ownerId) ?? `Slack user ${a.ownerId}`}${a.dueDate ? `, due ${a.dueDate}` : ""}${a.status === "done" ? ", done" : ""})`,
      )
    : ["none recorded yet"];
  const highlights = f.highlights.filter((h) => h.at).map((h) => `${dayTime(h.at!, f.timezone)} ${h.label}`);
  return render(
    subject,
    `Leadership summary of ${inc.ref}: ${inc.title}.\n${facts}.`,
    [
      { heading: "Impact", lines: [f.impact] },
      { heading: "Root cause", lines: [f.rootCause ?? "not yet known"] },
      { heading: "Action items", lines: items },
      { heading: `Timeline highlights (${f.timezone})`, lines: highlights.length ? highlights : ["—"] },
    ],
    link,
    FOOTER,
  );
}

/** The product / business update as an email: the person's text, the incident's state and the next update time. */
export function productUpdateMail(
  inc: { ref: string; title: string; severity: string; status: string },
  update: { text: string; nextUpdateAt: Date | null; timezone: string },
  link: string | null,
): ComposedMail {
  const subject = mailSubject(inc.ref, inc.title, inc.status);
  const next = update.nextUpdateAt ? `Next update by ${hhmm(update.nextUpdateAt, update.timezone)} ${update.timezone}.` : null;
  return render(
    subject,
    update.text,
    [{ heading: "Where it stands", lines: [`Severity ${inc.severity}, status ${inc.status}`, ...(next ? [next] : [])] }],
    link,
    FOOTER,
  );
}
