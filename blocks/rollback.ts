import type { KnownBlock } from "@slack/web-api";
import { ACTIONS } from "../src/chat/ids.js";
import type { ChatMessage } from "../src/chat/port.js";
import type { RollbackProposal } from "../src/models/rollback.js";
import { button, context, esc, section } from "./text.js";

export type { RollbackProposal };

/** The confirmation posted in the channel: alias, current → target, *Roll back* / *Cancel*. */
export function rollbackConfirmation(p: RollbackProposal, requestedBy: string): { text: string; blocks: KnownBlock[] } {
  const text = `Roll back ${p.model}: alias \`${p.alias}\` ${p.from} → ${p.to}?`;
  return {
    text,
    blocks: [
      section(`⏪ *Roll back ${esc(p.model)}?* Alias \`${esc(p.alias)}\`: version *${esc(p.from)}* → *${esc(p.to)}* (${esc(p.reason)}).`),
      context(
        `Requested by <@${requestedBy}>. *Roll back* moves the alias in the registry, then waits for /health to report ${esc(p.to)}.`,
      ),
      {
        type: "actions",
        block_id: `rollback_${p.rollbackId}`,
        elements: [
          button("Roll back", ACTIONS.rollbackConfirm, String(p.rollbackId), "primary"),
          button("Cancel", ACTIONS.rollbackCancel, String(p.rollbackId)),
        ],
      },
    ],
  };
}

export interface RollbackNoticeView {
  rollbackId: number;
  stage: "moved" | "verified" | "failed";
  model: string;
  alias: string;
  from: string;
  to: string;
  actor: string;
  error: string | null;
  /** whether the alias was moved before the failure (a health failure) */
  moved: boolean;
  minutesFromDetection: number | null;
  targetMinutes: number;
}

export function rollbackNotice(v: RollbackNoticeView): ChatMessage {
  let text: string;
  const retry = v.stage === "failed";
  if (v.stage === "moved")
    text = `🔀 <@${v.actor}> moved alias \`${esc(v.alias)}\` of ${esc(v.model)} ${esc(v.from)} → ${esc(v.to)}. Waiting for /health to report ${esc(v.to)}…`;
  else if (v.stage === "verified") {
    const late = v.minutesFromDetection !== null && v.minutesFromDetection > v.targetMinutes;
    text =
      `✅ /health reports ${esc(v.to)}: rollback of ${esc(v.model)} verified. Incident mitigated` +
      (v.minutesFromDetection !== null
        ? ` ${v.minutesFromDetection} min after detection (target ${v.targetMinutes})${late ? " ⚠️ over target" : ""}.`
        : ".");
  } else {
    text = v.moved
      ? `⚠️ Rollback of ${esc(v.model)} not verified: ${esc(v.error ?? "")}. The alias points to ${esc(v.to)}; serving does not follow. Nothing was marked mitigated.`
      : `⚠️ Rollback of ${esc(v.model)} failed: ${esc(v.error ?? "")}. The alias was not moved; nothing was marked done.`;
  }
  const blocks: KnownBlock[] = [section(text)];
  if (retry) {
    blocks.push({
      type: "actions",
      block_id: `rollback_retry_${v.rollbackId}`,
      elements: [
        button("Retry", ACTIONS.rollbackConfirm, String(v.rollbackId), "primary"),
        button("Cancel", ACTIONS.rollbackCancel, String(v.rollbackId)),
      ],
    });
  }
  return { text, blocks };
}
