import { insertChecklistItems } from "../checklist/insert-items.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { recordEvent } from "../timeline/record-event.js";
import type { ContactRole } from "./escalation.js";
import type { FailureCategory } from "./rollback.js";
import { type Runbook, runbooks, selectRunbooks } from "./runbooks.js";

type Tx = Prisma.TransactionClient;

export const RUNBOOK_LIST_PREFIX = "runbook:";
export const runbookList = (id: string) => `${RUNBOOK_LIST_PREFIX}${id}`;

/** Who owns a runbook's items by default, from the role directory (`/incident roles`), when that role is set. */
export const RUNBOOK_OWNER_ROLE: Record<string, ContactRole> = {
  "api-latency-spike": "mlops-engineer",
  "feature-drift": "ml-lead",
  "multi-feature-drift": "ml-lead",
  "scores-not-helping": "ml-lead",
};

/**
 * Attaches the troubleshooting runbooks that match the incident (metric name or title phrase, else its
 * category) as extra checklists: ChecklistItem rows in list `runbook:<id>`, numbered 1.1, 1.2, … Runs inside
 * the caller's transaction; already attached runbooks are skipped. The messages are posted by the render job.
 */
export async function attachRunbooks(
  ctx: AppContext,
  tx: Tx,
  incident: { id: number; title: string; category: string | null },
  opts: { metricName?: string | null; alertTitle?: string | null; driftingFeatures?: number | null } = {},
): Promise<string[]> {
  const matches = selectRunbooks({
    category: incident.category as FailureCategory | null,
    metricName: opts.metricName ?? null,
    alertTitle: opts.alertTitle ?? incident.title,
    driftingFeatures: opts.driftingFeatures ?? null,
  });
  if (matches.length === 0) return [];
  const existing = await tx.checklistItem.findMany({
    where: { incidentId: incident.id, list: { startsWith: RUNBOOK_LIST_PREFIX } },
    distinct: ["list"],
    select: { list: true },
  });
  const have = new Set(existing.map((e) => e.list));
  const fresh = matches.filter((r) => !have.has(runbookList(r.id)));
  if (fresh.length === 0) return [];
  const roles = await tx.roleAssignment.findMany();
  const roleOwner = new Map(roles.map((r) => [r.role, r.userId]));
  const now = ctx.clock.now();
  for (const rb of fresh) {
    await insertChecklistItems(tx, runbookItems(incident.id, rb, roleOwner.get(RUNBOOK_OWNER_ROLE[rb.id] ?? "") ?? null), now);
    await recordEvent(
      tx,
      incident.id,
      { kind: "runbook.attached", data: { runbookId: rb.id } },
      { at: now, actorId: null, text: `Runbook attached: ${rb.title}`, sourceKey: `runbook:${rb.id}` },
    );
  }
  return fresh.map((r) => r.id);
}

function runbookItems(incidentId: number, rb: Runbook, ownerId: string | null) {
  return rb.items.map((item, i) => ({
    incidentId,
    list: runbookList(rb.id),
    number: `1.${i + 1}`,
    stepKey: rb.id,
    stepTitle: rb.title,
    position: i,
    key: item.key,
    text: item.timebox ? `${item.text} (timebox ${item.timebox})` : item.text,
    detail: item.detail ?? undefined,
    ownerId,
  }));
}

/**
 * Alerts can be linked to an incident after it was declared (the alert layer's own transaction): attach
 * runbooks for their metrics too. Idempotent; returns the runbooks newly attached.
 */
export async function attachRunbooksForAlerts(ctx: AppContext, incidentId: number): Promise<string[]> {
  const alerts = await ctx.prisma.alert.findMany({
    where: { incidentId, metricName: { not: null } },
    select: { metricName: true, title: true },
    take: 20,
  });
  if (alerts.length === 0) return [];
  // A second drifting feature joining the incident brings the several-features runbook beside the one-feature one.
  const features = await ctx.prisma.alert.findMany({
    where: { incidentId, metricName: { in: [...DRIFT_METRICS] }, feature: { not: null } },
    distinct: ["feature"],
    select: { feature: true },
    take: 3,
  });
  return ctx.prisma.$transaction(async (tx) => {
    const inc = await tx.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { id: true, title: true, category: true } });
    const attached: string[] = [];
    for (const a of alerts) {
      const opts = { metricName: a.metricName, alertTitle: a.title, driftingFeatures: features.length };
      attached.push(...(await attachRunbooks(ctx, tx, inc, opts)));
    }
    return attached;
  });
}

/** The metrics the drift runbooks answer: their alerts' features are counted. */
const DRIFT_METRICS = new Set(runbooks.filter((r) => r.when.driftingFeatures).flatMap((r) => r.when.metrics ?? []));
