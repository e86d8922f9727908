import { localMinute } from "../text/local-time.js";
import { type Evidence, evidenceEntries } from "../models/evidence.js";
import { TZDate } from "@date-fns/tz";
import { addBusinessDays, differenceInMinutes, format } from "date-fns";

/** Sections of the seed's Post-Incident Review Template, in order. */
export const REVIEW_SECTIONS = [
  "INCIDENT REVIEW",
  "TIMELINE",
  "IMPACT",
  "ROOT CAUSE",
  "WHAT WENT WELL",
  "WHAT WENT POORLY",
  "ACTION ITEMS",
] as const;

/** Reviews are due this many business days after resolution. */
export const REVIEW_DUE_BUSINESS_DAYS = 5;

export interface ReviewImpact {
  usersAffected?: number;
  /** Estimated revenue impact in dollars. */
  revenue?: number;
  predictionsAffected?: number;
  dataLoss?: boolean;
}

export interface ReviewActionItem {
  text: string;
  /** Slack user id (`U123`) or mention (`<@U123>`). */
  owner?: string;
  /** `YYYY-MM-DD`. */
  due?: string;
}

/** A release gate the incident's model version went through (see src/models/model-gates.ts). */
export interface ReviewModelGate {
  ref: string;
  title: string;
  templateId: string;
  subject: string;
  status: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  naItems: { number: string; text: string; justification: string; ownerId: string | null }[];
}

export interface ReviewInput {
  id: string;
  title: string;
  severity: string;
  category?: string | null;
  detectedAt: Date;
  acknowledgedAt?: Date | null;
  identifiedAt?: Date | null;
  mitigatedAt?: Date | null;
  resolvedAt?: Date | null;
  /** IANA zone in which dates and HH:MM times are shown. */
  timezone: string;
  impact?: ReviewImpact;
  rootCause?: string | null;
  wentWell: string[];
  wentPoorly: string[];
  actionItems: ReviewActionItem[];
  /** Proposed by the bot (not yet agreed): listed after the agreed ones, marked "(proposed)". */
  proposedActionItems?: ReviewActionItem[];
  /** For an incident about a model: the version and the gates whose subject names it. */
  modelGates?: { model: string; version: string | null; gates: ReviewModelGate[] };
  /** For an incident about a model: the version it opened on and the opening alert's evidence (IMPACT, ROOT CAUSE). */
  modelEvidence?: { model: string; version: string | null; evidence: Evidence | null } | null;
  /** When the review itself is due, `YYYY-MM-DD` (see `reviewDueDate`). */
  dueDate: string;
}

function assertTimeZone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new RangeError(`unknown time zone "${timezone}": expected an IANA name such as Europe/Berlin`);
  }
}

function inZone(date: Date, timezone: string): TZDate {
  return new TZDate(date.getTime(), timezone);
}

function day(date: Date, timezone: string): string {
  return format(inZone(date, timezone), "yyyy-MM-dd");
}

/** `2 hours 5 minutes`, `1 hour 0 minutes`, `0 hours 45 minutes`. */
export function formatDuration(from: Date, to: Date): string {
  const minutes = Math.max(0, differenceInMinutes(to, from));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h} ${h === 1 ? "hour" : "hours"} ${m} ${m === 1 ? "minute" : "minutes"}`;
}

function heading(title: string, underline: "=" | "-"): string[] {
  return [title, underline.repeat(title.length)];
}

function bullets(lines: string[], placeholder: string): string[] {
  const filled = lines.map((l) => l.trim()).filter((l) => l !== "");
  return filled.length > 0 ? filled.map((l) => `- ${l}`) : [`- ${placeholder}`];
}

function mention(owner: string | undefined): string {
  const id = owner?.trim();
  if (!id) return "unassigned";
  return id.startsWith("<@") ? id : `<@${id}>`;
}

const count = (n: number | undefined) => (n === undefined ? "unknown" : n.toLocaleString("en-US"));

/**
 * The seed's Post-Incident Review Template filled from an incident, as Markdown (setext headings, task list).
 * Unknown values become explicit placeholders so the gaps are visible in the draft.
 */
export function renderReviewMarkdown(input: ReviewInput): string {
  const tz = input.timezone;
  assertTimeZone(tz);
  const detectedDay = day(input.detectedAt, tz);
  // HH:MM, with the date appended when the event falls on another day than detection.
  const clock = (at: Date) => {
    const d = day(at, tz);
    return { time: format(inZone(at, tz), "HH:mm"), suffix: d === detectedDay ? "" : ` (${d})` };
  };
  const event = (at: Date | null | undefined, what: string, missing: string) => {
    if (!at) return `- --:-- - ${what} (${missing})`;
    const { time, suffix } = clock(at);
    return `- ${time} - ${what}${suffix}`;
  };

  const duration = input.resolvedAt
    ? `${formatDuration(input.detectedAt, input.resolvedAt)} (detection to resolution)`
    : "ongoing (not resolved yet)";
  const impact = input.impact ?? {};
  const dataLoss = impact.dataLoss === undefined ? "unknown" : impact.dataLoss ? "Yes" : "No";
  const revenue = impact.revenue === undefined ? "unknown" : `$${count(impact.revenue)} (estimated)`;
  const rootCause = input.rootCause?.trim();
  const me = input.modelEvidence;
  const evidence = me?.evidence
    ? evidenceEntries(me.evidence)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")
    : "";

  const actionLine = (a: ReviewActionItem, suffix = "") =>
    `- [ ] ${a.text.trim()} - Owner: ${mention(a.owner)} - Due: ${a.due?.trim() || "not set"}${suffix}`;
  const proposed = (input.proposedActionItems ?? []).map((a) => actionLine(a, " (proposed)"));
  const actionItems =
    input.actionItems.length + proposed.length > 0
      ? [...input.actionItems.map((a) => actionLine(a)), ...proposed]
      : ["- [ ] [Add action items] - Owner: unassigned - Due: not set"];

  const lines = [
    ...heading("INCIDENT REVIEW", "="),
    `Incident: ${input.id} — ${input.title}`,
    `Date: ${detectedDay}`,
    `Severity: ${input.severity}`,
    `Category: ${input.category ?? "unclassified"}`,
    `Duration: ${duration}`,
    `Review due: ${input.dueDate}`,
    `Times in ${tz}`,
    "",
    ...heading("TIMELINE", "-"),
    event(input.detectedAt, "Alert fired / issue reported", "unknown"),
    event(input.acknowledgedAt, "On-call acknowledged", "not acknowledged"),
    ...(input.identifiedAt ? [event(input.identifiedAt, "Root cause identified", "")] : []),
    event(input.mitigatedAt, "Mitigation applied", "not recorded"),
    event(input.resolvedAt, "Full resolution confirmed", "not resolved yet"),
    "",
    ...heading("IMPACT", "-"),
    `- Users affected: ${count(impact.usersAffected)}`,
    `- Revenue impact: ${revenue}`,
    `- Predictions affected: ${count(impact.predictionsAffected)}`,
    `- Data loss: ${dataLoss}`,
    ...(me
      ? [`- Model: ${me.model}${me.version ? ` version ${me.version}` : ""}${evidence ? `; the alert's evidence: ${evidence}` : ""}`]
      : []),
    "",
    ...heading("ROOT CAUSE", "-"),
    rootCause ||
      `[Not yet recorded: /incident cause <text>.${evidence ? ` Start from the alert's evidence (${evidence}).` : ""} Then one or two paragraphs on what went wrong and why]`,
    ...(input.modelGates ? ["", ...modelGateLines(input.modelGates, tz)] : []),
    "",
    ...heading("WHAT WENT WELL", "-"),
    ...bullets(input.wentWell, "[To be filled in at the review]"),
    "",
    ...heading("WHAT WENT POORLY", "-"),
    ...bullets(input.wentPoorly, "[To be filled in at the review]"),
    "",
    ...heading("ACTION ITEMS", "-"),
    ...actionItems,
  ];
  return `${lines.join("\n")}\n`;
}

/** The release gates of the model version, for ROOT CAUSE: what each checked, who approved it, what was N/A and why. */
function modelGateLines(m: NonNullable<ReviewInput["modelGates"]>, tz: string): string[] {
  const version = m.version ? `${m.model} v${m.version}` : m.model;
  if (!m.gates.length) return [`Release gates: no gate names ${version} in its subject.`];
  const lines = [`Release gates of ${version} (what did they not catch?):`];
  for (const g of m.gates) {
    const what = `${g.ref} ${g.title} (${g.templateId}, "${g.subject}")`;
    lines.push(
      g.status === "approved"
        ? `- ${what}: passed, approved by ${mention(g.approvedBy ?? undefined)}${g.approvedAt ? ` on ${localMinute(g.approvedAt, tz)}` : ""}`
        : `- ${what}: still open, not passed`,
    );
    for (const i of g.naItems) {
      lines.push(`  - N/A ${i.number} ${i.text}: "${i.justification}" (owner ${mention(i.ownerId ?? undefined)})`);
    }
  }
  return lines;
}

/** The review's due date: 5 business days after resolution, counted on the calendar of `timezone`. */
export function reviewDueDate(resolvedAt: Date, timezone: string): string {
  assertTimeZone(timezone);
  return format(addBusinessDays(inZone(resolvedAt, timezone), REVIEW_DUE_BUSINESS_DAYS), "yyyy-MM-dd");
}
