import { triageDoneMessage, triageMessage } from "../../blocks/alerts.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { incidentRef } from "../incidents/naming.js";
import type { Severity } from "../incidents/types.js";
import { routingFor } from "./alert-routing.js";
import { toAlertView } from "./alert-view.js";
import { openOrAttach } from "./incident-for-alert.js";
import { routeAlert } from "./routing-config.js";

/** Job: posts a P3/P4 alert in its triage channel with Declare / Dismiss buttons (once per episode). */
export async function postTriageMessage(ctx: AppContext, alertId: number): Promise<void> {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert || alert.triageTs || !alert.triageChannel || alert.incidentId) return;
  const posted = await ctx.chat.post(alert.triageChannel, triageMessage(toAlertView(alert)));
  await ctx.prisma.alert.updateMany({ where: { id: alertId, triageTs: null }, data: { triageTs: posted.ts } });
}

async function loadAlert(ctx: AppContext, alertId: number) {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert) throw new AppError("not_found", `Alert #${alertId} no longer exists.`);
  return alert;
}

/** "Declare incident" on a triage message: opens an incident with the alert's context (or joins an open one). */
export async function declareFromTriage(ctx: AppContext, alertId: number, userId: string) {
  const alert = await loadAlert(ctx, alertId);
  if (alert.incidentId) {
    const inc = await ctx.prisma.incident.findUnique({ where: { id: alert.incidentId }, select: { status: true } });
    if (inc && inc.status !== "resolved") return { incidentId: alert.incidentId, opened: false };
  }
  const labels = (alert.labels ?? {}) as Record<string, string>;
  const decision = routeAlert(
    { ...alert, labels, severity: alert.severity as Severity, status: alert.status as "firing" | "resolved", category: alert.category as never },
    routingFor(ctx),
  );
  const result = await openOrAttach(ctx, {
    alert,
    severity: alert.severity as Severity,
    severityReason: null,
    responders: decision.responders,
    declaredBy: userId,
    source: "button",
    episode: `triage:${alert.id}:${alert.startsAt?.getTime() ?? 0}`,
  });
  await updateTriageMessage(ctx, alertId, `🚨 ${incidentRef(result.incidentId)} ${result.opened ? "declared" : "already covers this alert"} — by <@${userId}>`);
  return result;
}

export async function dismissAlert(ctx: AppContext, alertId: number, userId: string) {
  await loadAlert(ctx, alertId);
  await ctx.prisma.alert.update({ where: { id: alertId }, data: { declinedAt: ctx.clock.now() } });
  await updateTriageMessage(ctx, alertId, `Dismissed by <@${userId}>`);
}

async function updateTriageMessage(ctx: AppContext, alertId: number, outcome: string) {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert?.triageChannel || !alert.triageTs) return;
  await ctx.chat
    .update(alert.triageChannel, alert.triageTs, triageDoneMessage(toAlertView(alert), outcome))
    .catch((err) => ctx.log.warn({ err, alertId }, "could not update the triage message"));
}
