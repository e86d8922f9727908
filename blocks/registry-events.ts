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

export interface RecoveryNudgeView {
  incidentRef: string;
  leadId: string | null;
  seconds: number;
  alerts: { title: string; source: string }[];
}

/** The recovery watch's one nudge: mitigated, yet the alerts that opened the incident still fire. */
export function recoveryOverdueNudge(v: RecoveryNudgeView): ChatMessage {
  const who = v.leadId ? `<@${v.leadId}>` : "Incident lead";
  const minutes = Math.max(1, Math.round(v.seconds / 60));
  const names = v.alerts.slice(0, 10).map((a) => `• ${esc(a.title)} (${esc(a.source)})`);
  if (v.alerts.length > 10) names.push(`…and ${v.alerts.length - 10} more`);
  const text = `${who}: ${v.incidentRef} is mitigated, but ${v.alerts.length} alert(s) that opened it still fire ${minutes} min later.`;
  return {
    text,
    blocks: [
      section(`⏰ ${text}`),
      section(names.join("\n")),
      context(
        "Check that serving really follows the rollback (`/incident model`), or roll back further (`/incident rollback to <version>`).",
      ),
    ],
  };
}
