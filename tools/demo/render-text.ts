/** Renders Block Kit as terminal text, roughly as Slack shows it (for the demo). Pure. */
type Block = Record<string, any>;

const plainText = (t: any): string => (typeof t === "string" ? t : (t?.text ?? ""));

/** How mrkdwn's emphasis is shown: ANSI styles on a terminal, nothing (markers dropped) in a pipe or a file. */
export interface TextStyle {
  ansi: boolean;
}

const SGR = {
  bold: ["\x1b[1m", "\x1b[22m"],
  italic: ["\x1b[3m", "\x1b[23m"],
  strike: ["\x1b[9m", "\x1b[29m"],
  code: ["\x1b[36m", "\x1b[39m"],
  link: ["\x1b[4m", "\x1b[24m"],
} as const;
type Style = keyof typeof SGR;

const wrap = (style: Style, s: string, o: TextStyle) => (o.ansi ? `${SGR[style][0]}${s}${SGR[style][1]}` : s);

// Slack's emphasis: a marker at a word boundary, non-blank just inside it (`lead_source` and `2*3*4` stay as they are).
const EMPHASIS: [Style, RegExp][] = [
  ["bold", /(^|[\s([{"'“‘>/\x1b-])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s)\]}.,;:!?"'”’<…/\x1b-])/g],
  ["italic", /(^|[\s([{"'“‘>/\x1b-])_(?=\S)([^_\n]*?\S)_(?=$|[\s)\]}.,;:!?"'”’<…/\x1b-])/g],
  ["strike", /(^|[\s([{"'“‘>/\x1b-])~(?=\S)([^~\n]*?\S)~(?=$|[\s)\]}.,;:!?"'”’<…/\x1b-])/g],
];

function emphasis(text: string, o: TextStyle): string {
  let out = text;
  // Twice: `*bold _and italic_*` nests one inside the other.
  for (let pass = 0; pass < 2; pass++)
    for (const [style, re] of EMPHASIS) out = out.replace(re, (_, before: string, inner: string) => `${before}${wrap(style, inner, o)}`);
  return out;
}

/** Mentions, channels, links and entities: what Slack shows in their place. */
function references(text: string, names: Record<string, string>, o: TextStyle): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id) => wrap("bold", `@${names[id] ?? id}`, o))
    .replace(/<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id, name) => wrap("bold", `#${name ?? names[id] ?? id}`, o))
    .replace(/<!(here|channel|everyone)>/g, (_, who) => wrap("bold", `@${who}`, o))
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_, url, label) => `${wrap("link", label, o)} (${url})`)
    .replace(/<((?:https?|mailto):[^|>]+)>/g, (_, url) => wrap("link", url, o));
}

const entities = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/**
 * Slack mrkdwn → terminal text: *bold*, _italic_, ~strike~, `code`, ```blocks```, <url|text>, <@U…> and <#C…>
 * as ANSI styles when `ansi`, else as plain text with the markers gone. Code is left as typed (no emphasis inside).
 */
export function mrkdwnToText(text: string, names: Record<string, string> = {}, o: TextStyle = { ansi: false }): string {
  // Code first: ``` blocks, then `spans`; what is between them gets references and emphasis.
  const parts = text.split(/(```[\s\S]*?```|`[^`\n]+`)/g);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const fenced = part.startsWith("```");
        const code = entities(fenced ? part.slice(3, -3) : part.slice(1, -1));
        return fenced ? (o.ansi ? wrap("code", code, o) : code) : o.ansi ? wrap("code", code, o) : `\`${code}\``;
      }
      return entities(emphasis(references(part, names, o), o));
    })
    .join("");
}

export function blocksToText(
  blocks: Block[] | undefined,
  fallback: string,
  names: Record<string, string> = {},
  o: TextStyle = { ansi: false },
): string {
  const md = (t: string) => mrkdwnToText(t, names, o);
  if (!blocks?.length) return md(fallback);
  const lines: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case "header":
        lines.push(wrap("bold", `== ${plainText(b.text)} ==`, o));
        break;
      case "section": {
        if (b.text) lines.push(b.text.type === "plain_text" ? plainText(b.text) : md(plainText(b.text)));
        if (b.fields) {
          const cells = b.fields.map((f: any) => md(plainText(f)).replace(/\n/g, ": "));
          for (let i = 0; i < cells.length; i += 2) lines.push(`  ${cells.slice(i, i + 2).join("   |   ")}`);
        }
        if (b.accessory?.type === "overflow") lines[lines.length - 1] += "  [⋯]";
        break;
      }
      case "context":
        lines.push(`  ${b.elements.map((e: any) => (e.type === "plain_text" ? plainText(e) : md(plainText(e)))).join(" · ")}`);
        break;
      case "actions":
        lines.push(
          `    ${b.elements
            .map((e: any) =>
              e.type === "button"
                ? `[${plainText(e.text)}]`
                : e.type === "users_select"
                  ? `[owner: ${e.initial_user ? `@${names[e.initial_user] ?? e.initial_user}` : "pick…"}]`
                  : `[${e.type}]`,
            )
            .join(" ")}`,
        );
        break;
      case "divider":
        lines.push("  ──────────");
        break;
      default:
        break;
    }
  }
  return lines.join("\n");
}
