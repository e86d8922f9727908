/** Renders Block Kit as plain terminal text, roughly as Slack shows it (for the demo). Pure. */
type Block = Record<string, any>;

const plainText = (t: any): string => (typeof t === "string" ? t : (t?.text ?? ""));

/** Slack mrkdwn → terminal: keep mentions readable, drop the escaping. */
export function mrkdwnToText(text: string, names: Record<string, string> = {}): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_, id) => `@${names[id] ?? id}`)
    .replace(/<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id, name) => `#${name ?? names[id] ?? id}`)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function blocksToText(blocks: Block[] | undefined, fallback: string, names: Record<string, string> = {}): string {
  if (!blocks?.length) return mrkdwnToText(fallback, names);
  const lines: string[] = [];
  for (const b of blocks) {
    switch (b.type) {
      case "header":
        lines.push(`== ${plainText(b.text)} ==`);
        break;
      case "section": {
        if (b.text) lines.push(mrkdwnToText(plainText(b.text), names));
        if (b.fields) {
          const cells = b.fields.map((f: any) => mrkdwnToText(plainText(f), names).replace(/\n/g, ": "));
          for (let i = 0; i < cells.length; i += 2) lines.push(`  ${cells.slice(i, i + 2).join("   |   ")}`);
        }
        if (b.accessory?.type === "overflow") lines[lines.length - 1] += "  [⋯]";
        break;
      }
      case "context":
        lines.push(`  ${b.elements.map((e: any) => mrkdwnToText(plainText(e), names)).join(" · ")}`);
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
