import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { directQuery } from "../db/direct-sql.js";
import { declareIncident } from "../incidents/declare-incident.js";
import type { Category, Severity } from "../incidents/types.js";
import { findModel } from "../models/catalog.js";
import { recordEvent } from "../timeline/record-event.js";
import { type AlertRow, alertContextText, alertKeysOf, primaryAlertKey, toAlertView } from "./alert-view.js";
import { sliceUnits } from "../text/well-formed.js";

type Tx = Prisma.TransactionClient;

export interface OpenRequest {
  alert: AlertRow;
  severity: Severity;
  severityReason: string | null;
  responders: string[];
  declaredBy: string;
  source: "alert" | "button";
  /** distinguishes episodes of the same key: a re-fire after resolution opens a new incident */
  episode: string;
}

/** The open incident that owns any of these keys, if one does. */
export async function incidentHoldingKeys(ctx: AppContext, keys: string[]): Promise<number | null> {
  // Asked for every first sighting of an alert, so it skips Prisma's per-query work (see direct-sql.ts).
  const [held] = await directQuery<{ incidentId: number }>(ctx.prisma, HOLDER, [JSON.stringify(keys)]);
  return held ? Number(held.incidentId) : null;
}

const HOLDER = `SELECT k."incidentId" FROM "IncidentAlertKey" k JOIN "Incident" i ON i."id" = k."incidentId"
  WHERE k."key" IN (SELECT json_array_elements_text($1::json)) AND i."status" <> 'resolved' LIMIT 1`;

/**
 * Opens an incident for the alert unless an open incident already holds one of its keys, in which case the
 * alert joins that one. "One incident per key" is the IncidentAlertKey primary key: when two processes race,
 * the loser's declare fails on the key (P2002) and it joins the winner's incident.
 */
export async function openOrAttach(ctx: AppContext, req: OpenRequest): Promise<{ incidentId: number; opened: boolean }> {
  const keys = alertKeysOf(req.alert);
  for (let attempt = 0; ; attempt++) {
    const holder = await incidentHoldingKeys(ctx, keys);
    if (holder) {
      await attachAlert(ctx, holder, req.alert, { opener: false });
      return { incidentId: holder, opened: false };
    }
    const view = toAlertView(req.alert, req.severityReason);
    try {
      const { incident, created } = await declareIncident(ctx, {
        title: sliceUnits(req.alert.title, 149),
        severity: req.severity,
        category: (req.alert.category as Category | null) ?? null,
        service: req.alert.service ?? req.alert.model,
        summary: alertContextText(view),
        declaredBy: req.declaredBy,
        source: req.source,
        requestKey: `alert:${primaryAlertKey(req.alert)}:${req.episode}`,
        detectedAt: req.alert.startsAt,
        responders: req.responders,
        alertKeys: keys,
        ...modelOf(ctx, req.alert, req.severityReason),
      });
      if (!created && incident.status === "resolved") {
        // This episode's incident was already resolved by someone: the alert only joins its record.
        await ctx.prisma.alert.update({ where: { id: req.alert.id }, data: { incidentId: incident.id } });
        return { incidentId: incident.id, opened: false };
      }
      await attachAlert(ctx, incident.id, req.alert, { opener: created, severityReason: req.severityReason });
      return { incidentId: incident.id, opened: created };
    } catch (e) {
      const keyTaken = e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
      if (!keyTaken || attempt >= 3) throw e;
    }
  }
}

/**
 * Records an alert on an incident: link, keys, `alert.received` (once per payload, by sourceKey) and either the
 * full alert context (the alert that opened it) or a place in the next digest. The incident row lock serialises
 * this with other alerts of the same incident.
 */
export async function attachAlert(
  ctx: AppContext,
  incidentId: number,
  alert: AlertRow,
  opts: { opener: boolean; severityReason?: string | null },
): Promise<void> {
  const now = ctx.clock.now();
  const view = toAlertView(alert, opts.severityReason ?? null);
  await ctx.prisma.$transaction(async (tx) => {
    await lockIncident(tx, incidentId);
    for (const key of alertKeysOf(alert)) {
      await tx.$executeRawUnsafe(
        `INSERT INTO "IncidentAlertKey" ("key", "incidentId", "createdAt") VALUES ($1::text, $2::int, $3::timestamp(3)) ON CONFLICT DO NOTHING`,
        key,
        incidentId,
        now.toISOString(),
      );
    }
    const sourceKey = `alert:${alert.id}:${alert.payloadHash}`;
    const seen = await tx.timelineEvent.findUnique({ where: { incidentId_sourceKey: { incidentId, sourceKey } }, select: { id: true } });
    await tx.alert.update({
      where: { id: alert.id },
      data: { incidentId, ...(seen ? {} : { digestedAt: opts.opener ? now : null }) },
    });
    if (seen) return;
    await recordEvent(
      tx,
      incidentId,
      {
        kind: "alert.received",
        data: {
          alertId: alert.id,
          source: alert.source,
          fingerprint: alert.fingerprint,
          severity: alert.severity,
          startsAt: alert.startsAt?.toISOString() ?? null,
        },
      },
      { at: now, actorId: `alert:${alert.source}`, text: alertContextText(view), sourceKey },
    );
    // The channel messages are told by id and rendered when posted (src/slack/work/alert-notices.ts).
    if (opts.opener)
      await ctx.jobs.sendInTx(tx, "alertNotice", {
        kind: "opened",
        incidentId,
        alertId: alert.id,
        severityReason: opts.severityReason ?? null,
      });
    else await queueDigest(ctx, tx, incidentId);
  });
}

/** A resolved alert: `alert.resolved` on the timeline, a line in the next digest, and a prompt once all resolved. */
export async function recordAlertResolved(ctx: AppContext, incidentId: number, alert: AlertRow): Promise<void> {
  const now = ctx.clock.now();
  await ctx.prisma.$transaction(async (tx) => {
    const inc = await lockIncident(tx, incidentId);
    if (!inc || inc.status === "resolved") return;
    const sourceKey = `alert-resolved:${alert.id}:${alert.payloadHash}`;
    const seen = await tx.timelineEvent.findUnique({ where: { incidentId_sourceKey: { incidentId, sourceKey } }, select: { id: true } });
    if (seen) return;
    await tx.alert.update({ where: { id: alert.id }, data: { digestedAt: null } });
    await recordEvent(
      tx,
      incidentId,
      { kind: "alert.resolved", data: { alertId: alert.id, source: alert.source } },
      { at: now, actorId: `alert:${alert.source}`, text: `Alert resolved: ${alert.title}`, sourceKey },
    );
    const firing = await tx.alert.count({ where: { incidentId, status: "firing" } });
    if (firing === 0) await ctx.jobs.sendInTx(tx, "alertNotice", { kind: "all-resolved", incidentId });
    await queueDigest(ctx, tx, incidentId);
  });
}

async function lockIncident(tx: Tx, incidentId: number) {
  const rows = await tx.$queryRaw<{ id: number; status: string }[]>`SELECT id, status FROM "Incident" WHERE id = ${incidentId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** At most one digest per incident every ALERT_DIGEST_SECONDS: the stately queue keeps one waiting job per key. */
export async function queueDigest(ctx: AppContext, tx: Tx, incidentId: number): Promise<void> {
  await ctx.jobs.sendInTx(
    tx,
    "alertDigest",
    { incidentId },
    {
      singletonKey: `digest-${incidentId}`,
      startAfter: ctx.config.alertDigestSeconds, // seconds from now, on the queue's own clock
    },
  );
}

/** The catalog model an alert is about (its `model` field, a `model` label, or a listed service) and its evidence. */
function modelOf(ctx: AppContext, a: AlertRow, severityReason: string | null) {
  const labels = (a.labels ?? {}) as Record<string, string>;
  const model = findModel(ctx.config.models, a.model, labels.model, labels.model_name, a.service, labels.service);
  if (!model) return {};
  const evidence: Record<string, string | number> = {};
  if (a.metricName) evidence.metric = a.metricName;
  if (a.metricValue !== null && a.metricValue !== undefined) evidence.value = a.metricValue;
  if (severityReason) evidence.threshold = severityReason;
  for (const k of ["threshold", "feature", "baseline", "window"] as const) {
    const v = k === "feature" ? (a.feature ?? labels.feature) : labels[k];
    if (v !== undefined && v !== null && v !== "" && evidence[k] === undefined) evidence[k] = v;
  }
  return { model: model.name, modelEvidence: Object.keys(evidence).length ? evidence : null };
}
