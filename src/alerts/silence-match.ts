import { type MatchableAlert, labelView } from "./label-view.js";

export type MatchOperator = "=" | "!=" | "=~" | "!~";
export type Matcher = { name: string; op: MatchOperator; value: string };

/** A user-facing parse problem; the message is one line fit for an ephemeral Slack reply. */
export class SilenceParseError extends Error {
  override name = "SilenceParseError";
}

const MATCHER = /^\s*([^=!~\s,"{}]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/su;
export const MATCHER_USAGE = "use label=value, label!=value, label=~regex or label!~regex, separated by commas";

/** Parses `team=ml,service!=api,model=~lead-.*` (optionally in braces, values optionally double-quoted). */
export function parseMatchers(text: string): Matcher[] {
  const body = text.trim().replace(/^\{([\s\S]*)\}$/, "$1");
  const parts = splitOutsideQuotes(body).filter((p) => p.trim() !== "");
  if (parts.length === 0) throw new SilenceParseError(`no matchers given: ${MATCHER_USAGE}`);
  return parts.map((part, i) => parseOne(part, i + 1));
}

function parseOne(part: string, position: number): Matcher {
  const m = MATCHER.exec(part);
  if (!m) throw new SilenceParseError(`matcher ${position} "${part.trim()}" is not valid: ${MATCHER_USAGE}`);
  const [, name, op, rawValue] = m;
  const value = unquote(rawValue, position);
  if (op === "=~" || op === "!~") compile(value, position);
  return { name, op: op as MatchOperator, value };
}

function unquote(raw: string, position: number): string {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) throw new SilenceParseError(`matcher ${position} has an unclosed quote`);
  return raw.slice(1, -1).replace(/\\(.)/g, "$1");
}

function compile(pattern: string, position: number): RegExp {
  try {
    // Anchored like Alertmanager: the regex must match the whole value.
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch (error) {
    throw new SilenceParseError(`matcher ${position}: invalid regex "${pattern}" (${(error as Error).message})`);
  }
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && quoted) {
      current += ch + (text[i + 1] ?? "");
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === "," && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** Does one matcher accept this value? A missing label counts as "" (Alertmanager semantics). */
export function matcherAccepts(matcher: Matcher, value: string | undefined): boolean {
  const v = value ?? "";
  switch (matcher.op) {
    case "=":
      return v === matcher.value;
    case "!=":
      return v !== matcher.value;
    case "=~":
      return compile(matcher.value, 0).test(v);
    case "!~":
      return !compile(matcher.value, 0).test(v);
  }
}

/** True when every matcher accepts the alert (labels plus service/model/feature/source/severity pseudo-labels). */
export function matchesSilence(alert: MatchableAlert, matchers: readonly Matcher[]): boolean {
  const view = labelView(alert);
  return matchers.length > 0 && matchers.every((m) => matcherAccepts(m, view[m.name]));
}

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
export const MAX_SILENCE_MS = 30 * UNIT_MS.d;
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses `30m`, `2h`, `1d`, `1h30m` into milliseconds; more than 0 and at most 30 days. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim().toLowerCase());
  if (!m || text.trim() === "") {
    throw new SilenceParseError(`"${text}" is not a duration: use e.g. 30m, 2h, 1d or 1h30m`);
  }
  const units = Object.values(UNIT_MS);
  const ms = m.slice(1).reduce((sum, part, i) => sum + Number(part ?? 0) * units[i], 0);
  if (ms <= 0) throw new SilenceParseError("the duration must be more than 0");
  if (ms > MAX_SILENCE_MS) throw new SilenceParseError(`"${text}" is too long: a silence lasts at most 30d`);
  return ms;
}
