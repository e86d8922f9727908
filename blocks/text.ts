import { sliceUnits } from "../src/text/well-formed.js";
import type { Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, PlainTextElement, SectionBlock } from "@slack/web-api";

/** Slack limits (https://api.slack.com/reference/block-kit): respected here so no message is refused. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  contextElements: 10,
  fieldText: 2000,
  optionText: 75,
  modalTitle: 24,
} as const;

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  // Never between the two halves of a surrogate pair: a lone half is text Slack and the database refuse.
  return text.length <= max ? text : `${sliceUnits(text, Math.max(0, max - 1))}…`;
}

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes like esc() but keeps user and channel mentions (`<@U…>`, `<#C…>`) that our own texts contain. */
export function escKeepMentions(text: string): string {
  return esc(text).replace(/&lt;([@#][UWC][A-Z0-9]+(?:\|[^&]*)?)&gt;/g, "<$1>");
}

export const mention = (userId: string | null | undefined) => (userId ? `<@${userId}>` : "_unassigned_");

/** A plain_text object (button labels, modal titles, input labels only take plain text). */
export const plain = (text: string): PlainTextElement => ({ type: "plain_text", text, emoji: true });

/** What a section may carry besides its text: Slack's own field types, so an unknown key fails tsc. */
export type SectionExtra = Pick<SectionBlock, "block_id" | "accessory">;

export function section(text: string, extra: SectionExtra = {}): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) }, ...extra };
}

export function header(text: string): HeaderBlock {
  return { type: "header", text: { type: "plain_text", text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: "context",
    elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: "mrkdwn", text: truncate(t, 3000) })),
  };
}

export const divider = (): DividerBlock => ({ type: "divider" });

export function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Button {
  return {
    type: "button",
    text: { type: "plain_text", text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: truncate(value, 2000),
    ...(style ? { style } : {}),
  };
}

/** Keeps a message under the block limit: drops the overflow and says how much was left out. */
export function capBlocks<T extends KnownBlock>(blocks: T[], max: number, moreText: (n: number) => string): (T | ContextBlock)[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(moreText(blocks.length - kept.length))];
}

/** Joins lines into as few chunks as fit in one section each (long lists become several sections). */
export function packLines(lines: string[], max: number = LIMITS.sectionText - 10): string[] {
  const chunks: string[] = [];
  let chunk = "";
  for (const line of lines) {
    if (chunk && chunk.length + line.length + 1 > max) {
      chunks.push(chunk);
      chunk = "";
    }
    chunk += `${chunk ? "\n" : ""}${truncate(line, max)}`;
  }
  if (chunk) chunks.push(chunk);
  return chunks;
}
