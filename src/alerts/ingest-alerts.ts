import type { AppContext } from "../context.js";
import { acknowledgeIncident } from "../incidents/acknowledge-incident.js";
import { incidentIdFromDedupKey } from "../paging/queue-page.js";
import { incidentRef } from "../incidents/naming.js";
import type { Severity } from "../incidents/types.js";
import { alertKeysOf } from "./alert-view.js";
import { attachAlert, incidentHoldingKeys, openOrAttach, recordAlertResolved } from "./incident-for-alert.js";
import type { NormalizedAlert } from "./normalize.js";
import { applyRoute, routeAlert } from "./routing-config.js";
import { silenceFor } from "./silences.js";
import { resolveStoredAlert, type StoredAlert, storeAlert } from "./store-alert.js";
import { storeAlertBatched } from "./store-batch.js";

export type IngestOutcome =
  | "incident" // opened an incident
  | "attached" // recorded on an open incident
  | "resolved"
  | "acknowledged"
  | "triage"
  | "stored" // kept for `/incident alerts` (no triage channel), or a resolved alert never seen firing
  | "silenced"
  | "repeat"
  | "updated"
  | "unknown"; // PagerDuty acknowledge/resolve of a dedup_key never triggered

export interface IngestResult {
  /** INC-<n> of incidents opened or updated, in order, without duplicates */
  incidents: string[];
  outcomes: IngestOutcome[];
}

const RANK: Record<string, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

/**
 * Stores alerts and acts on them (contract "Alert behaviour"). Critical alerts of a batch go first, so a
 * group's P1 opens the incident and its warnings join it instead of going to triage.
 */
export async function ingestAlerts(ctx: AppContext, alerts: NormalizedAlert[]): Promise<IngestResult> {
  const ordered = routed(ctx, alerts);
  // Store every alert of the request at once (batched with concurrent requests; see store-batch.ts), then act
  // on them in order. Acting reads each row afresh, so the P1 that opens an incident still goes first.
  const now = ctx.clock.now();
  const batched = ordered.map(({ alert }) =>
    alert.action === "acknowledge" || alert.action === "resolve" ? null : storeAlertBatched(ctx, alert, now),
  );
  const incidents = new Set<number>();
  const outcomes: IngestOutcome[] = [];
  for (const [i, { alert, decision }] of ordered.entries()) {
    const { outcome, incidentId } = await ingestOne(ctx, alert, decision.responders, decision.triageChannel, batched[i] ?? null);
    if (incidentId) incidents.add(incidentId);
    outcomes.push(outcome);
    ctx.metrics.alerts.inc({ source: alert.source, outcome });
  }
  return { incidents: [...incidents].map(incidentRef), outcomes };
}

type Routed = { alert: NormalizedAlert; decision: ReturnType<typeof routeAlert> };
/** Routing depends only on the alerts and the app's fixed configuration: a re-sent body (intake-memo.ts) reuses it. */
const routedBefore = new WeakMap<readonly NormalizedAlert[], { ctx: AppContext; ordered: Routed[] }>();

function routed(ctx: AppContext, alerts: readonly NormalizedAlert[]): readonly Routed[] {
  const known = routedBefore.get(alerts);
  if (known?.ctx === ctx) return known.ordered;
  const routing = ctx.config.alertRouting;
  const ordered = alerts
    .map((a) => {
      const decision = routeAlert(a, routing, { triageChannel: ctx.config.alertsChannelId ?? null });
      return { alert: applyRoute(a, decision, routing), decision };
    })
    .sort((x, y) => (RANK[x.alert.severity] ?? 9) - (RANK[y.alert.severity] ?? 9));
  if (Object.isFrozen(alerts)) routedBefore.set(alerts, { ctx, ordered });
  return ordered;
}

type One = { outcome: IngestOutcome; incidentId?: number };

async function ingestOne(
  ctx: AppContext,
  a: NormalizedAlert,
  responders: string[],
  triageChannel: string | null,
  batched: Promise<StoredAlert | null> | null,
): Promise<One> {
  const now = ctx.clock.now();
  if (a.action === "acknowledge") return acknowledgeFromAlert(ctx, a);
  let stored: StoredAlert | null;
  if (a.action === "resolve") {
    stored = await resolveStoredAlert(ctx.prisma, a.source, a.fingerprint, now);
    if (!stored) return { outcome: "unknown" };
  } else {
    // null from the batch: the stored payload differs (or the batch failed): the full path decides.
    stored = (await batched) ?? (await storeAlert(ctx.prisma, a, now));
  }
  switch (stored.outcome) {
    case "updated":
    case "stored":
      return { outcome: stored.outcome };
    case "resolved": {
      if (!stored.incidentId) return { outcome: "resolved" };
      const row = await ctx.prisma.alert.findUniqueOrThrow({ where: { id: stored.id } });
      await recordAlertResolved(ctx, stored.incidentId, row);
      return { outcome: "resolved", incidentId: stored.incidentId };
    }
    case "repeat":
      // Nothing visible on a repeat. One exception: a critical alert whose first delivery was stored but
      // never reached an incident (the process died in between) gets another go; declaring is idempotent.
      if (!(stored.status === "firing" && isCritical(stored.severity) && !stored.incidentId && !stored.silenceId)) {
        return { outcome: "repeat" };
      }
      // Not while this process is still acting on an earlier delivery of it: in a storm every copy that
      // arrives while the incident is being opened would otherwise run the whole declare path again.
      if (acting(ctx).has(stored.id)) return { outcome: "repeat" };
      break;
    case "fired":
      break;
  }
  const ids = acting(ctx);
  ids.add(stored.id);
  try {
    return await fire(ctx, a, stored, responders, triageChannel);
  } finally {
    ids.delete(stored.id);
  }
}

/** Ids of the alerts this app is acting on right now (fire): their repeats meanwhile are only counted. */
const actingOn = new WeakMap<AppContext, Set<number>>();
function acting(ctx: AppContext): Set<number> {
  let ids = actingOn.get(ctx);
  if (!ids) actingOn.set(ctx, (ids = new Set()));
  return ids;
}

async function fire(
  ctx: AppContext,
  a: NormalizedAlert,
  stored: StoredAlert,
  responders: string[],
  triageChannel: string | null,
): Promise<One> {
  // The whole row is read only when the alert joins or opens an incident; the rest needs its id.
  const row = () => ctx.prisma.alert.findUniqueOrThrow({ where: { id: stored.id } });
  if (stored.incidentId) {
    await attachAlert(ctx, stored.incidentId, await row(), { opener: false });
    return { outcome: "attached", incidentId: stored.incidentId };
  }
  const silenceId = await silenceFor(ctx, a);
  if (silenceId) {
    await ctx.prisma.alert.update({ where: { id: stored.id }, data: { silenceId } });
    return { outcome: "silenced" };
  }
  // The stored key columns are the alert's own (storing wrote them from this payload).
  const holder = await incidentHoldingKeys(ctx, alertKeysOf(a));
  if (holder) {
    await attachAlert(ctx, holder, await row(), { opener: false });
    return { outcome: "attached", incidentId: holder };
  }
  if (isCritical(a.severity)) {
    const { incidentId, opened } = await openOrAttach(ctx, {
      alert: await row(),
      severity: a.severity as Severity,
      severityReason: a.severityReason,
      responders,
      declaredBy: `alert:${a.source}`,
      source: "alert",
      episode: String(stored.startsAtMs),
    });
    return { outcome: opened ? "incident" : "attached", incidentId };
  }
  if (!triageChannel) return { outcome: "stored" };
  await ctx.prisma.$transaction(async (tx) => {
    await tx.alert.update({ where: { id: stored.id }, data: { triageChannel } });
    await ctx.jobs.sendInTx(tx, "alertTriage", { alertId: stored.id });
  });
  return { outcome: "triage" };
}

/** PagerDuty acknowledge: acknowledges the alert's open incident (meets the ack clock); unknown keys do nothing. */
async function acknowledgeFromAlert(ctx: AppContext, a: NormalizedAlert): Promise<One> {
  const row = await ctx.prisma.alert.findUnique({
    where: { source_fingerprint: { source: a.source, fingerprint: a.fingerprint } },
    select: { incidentId: true, incident: { select: { status: true, acknowledgedAt: true } } },
  });
  if (!row?.incidentId || !row.incident) return acknowledgeOwnPage(ctx, a);
  // Already acknowledged (a re-sent acknowledge): nothing visible.
  if (row.incident.status === "resolved" || row.incident.acknowledgedAt) return { outcome: "repeat" };
  await acknowledgeIncident(ctx, row.incidentId, `alert:${a.source}`, a.source);
  return { outcome: "acknowledged", incidentId: row.incidentId };
}

/**
 * A PagerDuty acknowledge for an alert the bot itself triggered (`incident-bot/INC-<n>`): acknowledges that incident.
 * The actor is `alert:pagerduty`, so the ack is not sent back to PagerDuty (no loop).
 */
async function acknowledgeOwnPage(ctx: AppContext, a: NormalizedAlert): Promise<One> {
  if (incidentIdFromDedupKey(a.fingerprint) === null) return { outcome: "unknown" };
  const page = await ctx.prisma.pageEvent.findFirst({ where: { dedupKey: a.fingerprint, action: "trigger" } });
  if (!page) return { outcome: "unknown" };
  const inc = await ctx.prisma.incident.findUnique({ where: { id: page.incidentId }, select: { status: true, acknowledgedAt: true } });
  if (!inc) return { outcome: "unknown" };
  if (inc.status === "resolved" || inc.acknowledgedAt) return { outcome: "repeat" };
  await acknowledgeIncident(ctx, page.incidentId, `alert:${a.source}`, a.source);
  return { outcome: "acknowledged", incidentId: page.incidentId };
}

const isCritical = (severity: string) => severity === "P1" || severity === "P2";
