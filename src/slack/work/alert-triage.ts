import { triageDoneMessage, triageMessage } from "../../../blocks/alerts.js";
import { loadTriageMessage, loadTriagePost, recordTriagePosted } from "../../alerts/triage.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";

/** Job `alertTriage`: posts a P3/P4 alert in its triage channel with Declare / Dismiss buttons (once per episode). */
export async function postTriageMessage(ctx: AppContext, alertId: number): Promise<void> {
  const due = await loadTriagePost(ctx, alertId);
  if (!due) return;
  const posted = await ctx.chat.post(due.channelId, triageMessage(due.alert));
  await recordTriagePosted(ctx, alertId, posted.ts);
}

/** After declareFromTriage: the triage message says which incident now covers the alert. */
export async function showTriageDeclared(
  ctx: AppContext,
  alertId: number,
  userId: string,
  result: { incidentId: number; opened: boolean; triaged: boolean },
): Promise<void> {
  if (!result.triaged) return;
  await updateTriageMessage(
    ctx,
    alertId,
    `🚨 ${incidentRef(result.incidentId)} ${result.opened ? "declared" : "already covers this alert"} — by <@${userId}>`,
  );
}

/** After dismissAlert: the triage message says who dismissed it. */
export async function showTriageDismissed(ctx: AppContext, alertId: number, userId: string): Promise<void> {
  await updateTriageMessage(ctx, alertId, `Dismissed by <@${userId}>`);
}

// Best effort: the decision is already stored, so a failed update is only logged.
async function updateTriageMessage(ctx: AppContext, alertId: number, outcome: string) {
  const msg = await loadTriageMessage(ctx, alertId);
  if (!msg) return;
  await ctx.chat
    .update(msg.channelId, msg.ts, triageDoneMessage(msg.alert, outcome))
    .catch((err) => ctx.log.warn({ err, alertId }, "could not update the triage message"));
}
