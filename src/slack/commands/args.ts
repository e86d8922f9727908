/** Helpers for slash-command text. Mentions arrive escaped (`<@U123|name>`) since should_escape is true. */

export function splitFirst(text: string): [string, string] {
  const t = text.trim();
  const i = t.search(/\s/);
  return i < 0 ? [t, ""] : [t.slice(0, i), t.slice(i + 1).trim()];
}

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const MENTION_ANYWHERE = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** `<@U123|name>` or `<@U123>` → U123; a bare ID like U123ABC is accepted too; anything else → null. */
export function parseUser(token: string): string | null {
  const m = MENTION.exec(token.trim());
  if (m) return m[1]!;
  return /^[UW][A-Z0-9]{2,}$/.test(token.trim()) ? token.trim() : null;
}

export function mentionsIn(text: string): string[] {
  return [...text.matchAll(MENTION_ANYWHERE)].map((m) => m[1]!);
}

export function removeMentions(text: string): string {
  return text.replace(MENTION_ANYWHERE, " ").replace(/\s+/g, " ").trim();
}

/** Command text as typed: Slack sends `&`, `<` and `>` as entities, except in the mention and link tokens it makes. */
export function unescapeSlackText(text: string): string {
  return text.includes("&") ? text.replace(/&(lt|gt|amp);/g, (_, e: string) => (e === "lt" ? "<" : e === "gt" ? ">" : "&")) : text;
}
