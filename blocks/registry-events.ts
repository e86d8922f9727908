import type { ChatMessage } from "../src/chat/port.js";
import { context, esc, section } from "./text.js";

export interface AliasMoveView {
  model: string;
  alias: string;
  from: string | null;
  to: string | null;
}

/** An alias moved in the registry by someone else (MLflow UI, CI): serving follows it, so the channel must know. */
export function aliasMovedOutsideNotice(v: AliasMoveView): ChatMessage {
  const text = v.to
    ? `🔀 Alias \`${esc(v.alias)}\` of ${esc(v.model)} moved ${esc(v.from ?? "?")} → ${esc(v.to)} in the registry, not by the bot.`
    : `🔀 Alias \`${esc(v.alias)}\` of ${esc(v.model)} was deleted in the registry (it pointed to ${esc(v.from ?? "?")}), not by the bot.`;
  return {
    text,
    blocks: [section(text), context("Serving follows the alias. `/incident model` shows what /health reports now.")],
  };
}
