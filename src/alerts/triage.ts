import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import type { Severity } from "../incidents/types.js";
import { type AlertView, toAlertView } from "./alert-view.js";
import { openOrAttach } from "./incident-for-alert.js";
import { routeAlert } from "./routing-config.js";

/** A P3/P4 alert still to be posted in its triage channel (once per episode), or null when there is none. */
export async function loadTriagePost(ctx: AppContext, alertId: number): Promise<{ channelId: string; alert: AlertView } | null> {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert || alert.triageTs || !alert.triageChannel || alert.incidentId) return null;
  return { channelId: alert.triageChannel, alert: toAlertView(alert) };
}

/** Remembers the triage message, so the buttons' outcome can update it (the first post wins). */
export async function recordTriagePosted(ctx: AppContext, alertId: number, ts: string): Promise<void> {
  await ctx.prisma.alert.updateMany({ where: { id: alertId, triageTs: null }, data: { triageTs: ts } });
}

/** The posted triage message of an alert, as it is now, or null when it was never posted. */
export async function loadTriageMessage(
  ctx: AppContext,
  alertId: number,
): Promise<{ channelId: string; ts: string; alert: AlertView } | null> {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert?.triageChannel || !alert.triageTs) return null;
  return { channelId: alert.triageChannel, ts: alert.triageTs, alert: toAlertView(alert) };
}

async function loadAlert(ctx: AppContext, alertId: number) {
  const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId } });
  if (!alert) throw new AppError("not_found", `Alert #${alertId} no longer exists.`);
  return alert;
}

/**
 * "Declare incident" on a triage message: opens an incident with the alert's context (or joins an open one).
 * `triaged` is false when the alert was already in an open incident: the press changed nothing, so the caller
 * leaves the triage message as it is; otherwise it shows the outcome there (src/slack/work/alert-triage.ts).
 */
export async function declareFromTriage(
  ctx: AppContext,
  alertId: number,
  userId: string,
): Promise<{ incidentId: number; opened: boolean; triaged: boolean }> {
  const alert = await loadAlert(ctx, alertId);
  if (alert.incidentId) {
    const inc = await ctx.prisma.incident.findUnique({ where: { id: alert.incidentId }, select: { status: true } });
    if (inc && inc.status !== "resolved") return { incidentId: alert.incidentId, opened: false, triaged: false };
  }
  const labels = (alert.labels ?? {}) as Record<string, string>;
  const decision = routeAlert(
    {
      ...alert,
      labels,
      severity: alert.severity as Severity,
      status: alert.status as "firing" | "resolved",
      category: alert.category as never,
    },
    ctx.config.alertRouting,
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
  return { ...result, triaged: true };
}

/** "Dismiss" on a triage message; the caller then shows it on the message (src/slack/work/alert-triage.ts). */
export async function dismissAlert(ctx: AppContext, alertId: number): Promise<void> {
  await loadAlert(ctx, alertId);
  await ctx.prisma.alert.update({ where: { id: alertId }, data: { declinedAt: ctx.clock.now() } });
}
