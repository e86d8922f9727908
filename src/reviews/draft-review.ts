import type { Evidence } from "../models/evidence.js";
import { z } from "zod";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { JobData } from "../jobs/payloads.js";
import { type Change, changeIncident, type IncidentRow } from "../incidents/change-incident.js";
import { proposeReviewFacts } from "./review-facts.js";
import { renderReviewMarkdown, type ReviewImpact, reviewDueDate } from "./review-template.js";
import { incidentRef } from "../incidents/naming.js";
import { readTimelineEvent } from "../timeline/events.js";
import { queueOwedJiraIssues } from "../jira/queue-jira-issue.js";
import { loadModelGates, type ModelGateView, recheckActionText } from "../models/model-gates.js";
import { modelByName } from "../models/registry.js";

type Tx = Prisma.TransactionClient;

export const ImpactSchema = z.object({
  usersAffected: z.number().int().nonnegative().optional(),
  revenue: z.number().nonnegative().optional(),
  predictionsAffected: z.number().int().nonnegative().optional(),
  dataLoss: z.boolean().optional(),
});

/** Job payload of `reviewDraft`: upload the Markdown and post (or refresh) the review message. */
export type PublishReviewJob = JobData<"reviewDraft">;

export function readImpact(json: unknown): ReviewImpact {
  const parsed = ImpactSchema.safeParse(json);
  return parsed.success ? parsed.data : {};
}

/**
 * For an incident about a catalog model: the gates of the version it was serving, and one proposed action item per
 * N/A item of a passed gate (re-check it, owned by the item's owner; the N/A may be what let the failure through).
 */
export async function loadReviewGates(ctx: AppContext, tx: Pick<Tx, "gate">, inc: Pick<IncidentRow, "modelName" | "modelVersion">) {
  const m = modelByName(ctx, inc.modelName);
  if (!m) return null;
  const gates: ModelGateView[] = await loadModelGates(tx, [m.name, m.registryModel], inc.modelVersion);
  const proposed = gates
    .filter((g) => g.status === "approved")
    .flatMap((g) => g.naItems.map((i) => ({ text: recheckActionText(g, i), owner: i.ownerId ?? undefined })));
  return { model: m.name, version: inc.modelVersion, gates, proposed };
}

/** The review's content from the incident's rows: sections, proposed facts and due date. */
export async function buildReview(ctx: AppContext, tx: Tx, inc: IncidentRow, now: Date, impact: ReviewImpact) {
  const tz = ctx.config.timezone;
  const [clocks, alerts, actionItems, updates, items, modelGates] = await Promise.all([
    tx.clock.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" } }),
    tx.alert.findMany({
      where: { incidentId: inc.id },
      orderBy: { id: "asc" },
      select: { title: true, source: true, sourceName: true, count: true },
    }),
    tx.actionItem.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" } }),
    tx.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "stakeholder.update" }, select: { kind: true, data: true } }),
    tx.checklistItem.findMany({ where: { incidentId: inc.id, list: "playbook" }, select: { state: true, ownerId: true } }),
    loadReviewGates(ctx, tx, inc),
  ]);
  // An update whose stored shape no code knows counts as a person's (it was not marked automatic).
  const manualUpdates = updates.map(readTimelineEvent).filter((e) => !(e.kind === "stakeholder.update" && e.data.automatic)).length;
  const { wentWell, wentPoorly } = proposeReviewFacts({
    detectedAt: inc.detectedAt,
    mitigatedAt: inc.mitigatedAt,
    declaredBy: inc.declaredBy,
    mitigateTargetSeconds: ctx.config.targets.mitigate,
    clocks,
    alerts,
    stakeholderUpdates: manualUpdates,
    playbook: {
      total: items.length,
      open: items.filter((i) => i.state === "todo").length,
      unowned: items.filter((i) => !i.ownerId).length,
    },
  });
  // Before resolution the draft is due 5 business days from now; the resolution date wins once known.
  const dueDate = reviewDueDate(inc.resolvedAt ?? now, tz);
  const markdown = renderReviewMarkdown({
    id: `${incidentRef(inc.id)}`,
    title: inc.title,
    severity: inc.severity,
    category: inc.category,
    detectedAt: inc.detectedAt,
    acknowledgedAt: inc.acknowledgedAt,
    identifiedAt: inc.identifiedAt,
    mitigatedAt: inc.mitigatedAt,
    resolvedAt: inc.resolvedAt,
    timezone: tz,
    impact,
    // The resolution says what fixed it, not why it broke: no stand-in, the review asks for the cause instead.
    rootCause: inc.rootCause?.trim() || null,
    wentWell,
    wentPoorly,
    actionItems: actionItems.map((a) => ({
      // With its Jira issue (the review file links it), once created.
      text: `${a.text}${a.jiraKey ? ` (Jira ${a.jiraUrl ? `[${a.jiraKey}](${a.jiraUrl})` : a.jiraKey})` : ""}${a.status === "done" ? " (done)" : ""}`,
      owner: a.ownerId,
      due: a.dueDate ?? undefined,
    })),
    // A proposal someone already took up as an action item (same text) is not proposed again.
    proposedActionItems: (modelGates?.proposed ?? []).filter((p) => !actionItems.some((a) => a.text.includes(p.text))),
    modelEvidence: inc.modelName
      ? { model: inc.modelName, version: inc.modelVersion, evidence: (inc.modelEvidence as Evidence | null) ?? null }
      : null,
    modelGates: modelGates ? { model: modelGates.model, version: modelGates.version, gates: modelGates.gates } : undefined,
    dueDate,
  });
  return { markdown, dueDate, wentWell, wentPoorly };
}

async function saveDraft(ctx: AppContext, tx: Tx, inc: IncidentRow, now: Date, impact?: ReviewImpact) {
  const existing = await tx.review.findUnique({ where: { incidentId: inc.id } });
  const useImpact = impact ?? readImpact(existing?.impact);
  const built = await buildReview(ctx, tx, inc, now, useImpact);
  const data = {
    dueDate: built.dueDate,
    markdown: built.markdown,
    wentWell: built.wentWell,
    wentPoorly: built.wentPoorly,
    impact: useImpact as Prisma.InputJsonValue,
  };
  const review = await tx.review.upsert({ where: { incidentId: inc.id }, create: { incidentId: inc.id, ...data }, update: data });
  return { review, created: !existing };
}

/**
 * Drafts (or re-drafts) the post-incident review from the incident, stores it, and queues posting it in the
 * channel with the Markdown uploaded as a file. Also run automatically at resolution.
 */
export async function draftReview(ctx: AppContext, incidentId: number, actorId: string) {
  const { result } = await changeIncident(
    ctx,
    incidentId,
    actorId,
    async (tx, inc, now): Promise<Change<{ dueDate: string; created: boolean; jiraOwed: number }>> => {
      const { review, created } = await saveDraft(ctx, tx, inc, now);
      await queuePublish(ctx, tx, incidentId);
      // The review's action items become Jira issues: those that have none yet (or were refused) are owed now.
      const jiraOwed = await queueOwedJiraIssues(ctx, tx, incidentId);
      return {
        events: [
          {
            event: { kind: "review.drafted", data: { dueDate: review.dueDate } },
            text: `${created ? "Review drafted" : "Review draft updated"}, due ${review.dueDate}`,
          },
        ],
        result: { dueDate: review.dueDate, created, jiraOwed },
      };
    },
  );
  return result!;
}

/** Stores the impact from the modal and refreshes the draft (and its file). */
export async function setReviewImpact(ctx: AppContext, incidentId: number, actorId: string, impact: ReviewImpact) {
  const clean = ImpactSchema.parse(impact);
  await changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    await saveDraft(ctx, tx, inc, now, clean);
    await queuePublish(ctx, tx, incidentId);
    return { events: [{ event: { kind: "review.impact_set", data: clean }, text: `Review impact updated: ${impactText(clean)}` }] };
  });
}

export function impactText(i: ReviewImpact): string {
  const parts = [
    i.usersAffected !== undefined ? `${i.usersAffected} users` : null,
    i.revenue !== undefined ? `$${i.revenue} revenue` : null,
    i.predictionsAffected !== undefined ? `${i.predictionsAffected} predictions` : null,
    i.dataLoss !== undefined ? (i.dataLoss ? "data loss" : "no data loss") : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "nothing known yet";
}

/** Stately queue keyed by incident: a burst of re-drafts coalesces into one upload of the latest Markdown. */
export async function queuePublish(ctx: AppContext, tx: Tx, incidentId: number) {
  await ctx.jobs.sendInTx(tx, "reviewDraft", { incidentId }, { singletonKey: `review-${incidentId}` });
}
