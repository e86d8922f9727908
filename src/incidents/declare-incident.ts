import { insertChecklistItems } from "../checklist/insert-items.js";
import { p1Invitees } from "../clocks/role-directory.js";
import { startIncidentClocks } from "../clocks/start-clocks.js";
import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { attachRunbooks } from "../playbooks/attach-runbooks.js";
import { playbookFor } from "../playbooks/playbook-for.js";
import { numberPlaybook } from "../playbooks/rollback.js";
import { queueTrigger } from "../paging/queue-page.js";
import { recordEvent } from "../timeline/record-event.js";
import { findModel } from "../models/catalog.js";
import { RegistryError } from "../models/mlflow.js";
import { registryFor } from "../models/registry.js";
import { incidentRef } from "./naming.js";
import { type Category, INITIAL_ESCALATION, type Severity } from "./types.js";

export interface DeclareInput {
  title: string;
  severity: Severity;
  category?: Category | null;
  service?: string | null;
  summary?: string | null;
  isPrivate?: boolean;
  userFacing?: boolean;
  declaredBy: string; // Slack user id, or "alert:<source>"
  source: "command" | "modal" | "alert" | "button";
  /** Idempotency key (trigger_id, view id, alert group): a retry returns the first incident. */
  requestKey?: string;
  /** Detection time (an alert's startsAt); defaults to now. Clocks start here. */
  detectedAt?: Date | null;
  /** Extra people to invite (alert routing); INCIDENT_RESPONDERS and the declarer are always invited. */
  responders?: string[];
  /** Alert keys (fingerprints, group keys) this incident takes ownership of while open. */
  alertKeys?: string[];
  /** The opening alert's metric name (e.g. latency_p99, psi): selects the matching runbooks. */
  metricName?: string | null;
  /** The catalog model (MODELS_FILE) this incident is about: `--model`, or the model/service an alert names. */
  model?: string | null;
  /** The opening alert's evidence (metric, value, threshold, feature, baseline, window), shown in the header. */
  modelEvidence?: Record<string, string | number> | null;
}

export type DeclaredIncident = Prisma.IncidentGetPayload<object>;

const MAX_TITLE = 150;

/**
 * Records the incident, its playbook, clocks and first timeline event in one transaction and queues the
 * Slack work (channel, invites, pinned messages) as a durable job. Returns before Slack is touched.
 */
export async function declareIncident(ctx: AppContext, input: DeclareInput): Promise<{ incident: DeclaredIncident; created: boolean }> {
  const title = input.title.trim().replace(/\s+/g, " ");
  if (!title) throw new AppError("usage", "An incident needs a title.");
  if (title.length > MAX_TITLE) {
    throw new AppError("invalid", `The title is ${title.length} characters; keep it under ${MAX_TITLE}.`);
  }
  if (input.requestKey) {
    const existing = await ctx.prisma.incident.findUnique({ where: { requestKey: input.requestKey } });
    if (existing) return { incident: existing, created: false };
  }
  const model = input.model ? findModel(ctx.config.models, input.model) : undefined;
  if (input.model && !model) {
    const known = ctx.config.models.map((m) => m.name).join(", ") || "none: set MODELS_FILE";
    throw new AppError("usage", `No model named "${input.model}" in the catalog (known: ${known}).`);
  }
  // The version serving pointed to when the incident opened; a registry that does not answer leaves it unknown.
  let modelVersion: string | null = null;
  if (model && registryFor(ctx).configured) {
    try {
      modelVersion = (await registryFor(ctx).getAlias(model.registryModel, model.alias))?.version ?? null;
    } catch (e) {
      ctx.log.warn(
        { model: model.name, err: e instanceof RegistryError ? e.plain : String(e) },
        "registry alias read failed at declaration",
      );
    }
  }
  const now = ctx.clock.now();
  const detectedAt = input.detectedAt && input.detectedAt < now ? input.detectedAt : now;
  const invitees = uniq([
    ...(input.declaredBy.startsWith("alert:") ? [] : [input.declaredBy]),
    ...ctx.config.responders,
    ...(input.responders ?? []),
    ...(model?.owners ?? []),
    ...(await p1Invitees(ctx, input.severity)),
  ]);
  try {
    const incident = await ctx.prisma.$transaction(async (tx) => {
      const inc = await tx.incident.create({
        data: {
          requestKey: input.requestKey,
          title,
          summary: input.summary?.trim() || null,
          severity: input.severity,
          category: input.category ?? null,
          service: input.service?.trim() || null,
          escalation: INITIAL_ESCALATION,
          isPrivate: input.isPrivate ?? false,
          userFacing: input.userFacing ?? false,
          declaredBy: input.declaredBy,
          detectedAt,
          declaredAt: now,
          provisionState: { invitees },
          modelName: model?.name ?? null,
          modelAlias: model?.alias ?? null,
          modelVersion,
          modelEvidence: input.modelEvidence ?? undefined,
        },
      });
      const playbook = playbookFor(ctx.config, inc.category as Category | null);
      const items = numberPlaybook(playbook).map((item, position) => ({
        incidentId: inc.id,
        list: "playbook",
        number: item.number,
        stepKey: item.stepKey,
        stepTitle: item.stepTitle,
        position,
        key: item.key,
        text: item.text,
        detail: item.detail ?? undefined,
      }));
      await insertChecklistItems(tx, items, now);
      for (const key of input.alertKeys ?? []) {
        await tx.incidentAlertKey.create({ data: { key, incidentId: inc.id } });
      }
      await recordEvent(
        tx,
        inc.id,
        {
          kind: "incident.declared",
          data: { title, severity: input.severity, category: inc.category, source: input.source },
        },
        { at: now, actorId: input.declaredBy, text: `${incidentRef(inc.id)} declared: ${title}` },
      );
      if (model && modelVersion) {
        await tx.modelAliasMove.create({
          data: { model: model.registryModel, alias: model.alias, fromVersion: null, toVersion: modelVersion, source: "declare", at: now },
        });
      }
      await startIncidentClocks(tx, ctx.jobs, ctx.config, inc, now);
      await attachRunbooks(ctx, tx, inc, { metricName: input.metricName });
      await ctx.jobs.sendInTx(tx, "provision", { incidentId: inc.id });
      // A P1 pages the on-call through PagerDuty (PAGERDUTY_ROUTING_KEY), sent from a job, not waiting on Slack.
      // Who is on call now (PAGERDUTY_SCHEDULE_IDS) is looked up and invited by a job, so PagerDuty never delays the channel.
      if (ctx.config.oncall) await ctx.jobs.sendInTx(tx, "oncallInvite", { incidentId: inc.id });
      // (An incident opened by a PagerDuty alert is already paged there: not triggered again.)
      if (inc.severity === "P1" && input.declaredBy !== "alert:pagerduty")
        await queueTrigger(ctx, tx, inc.id, "declared P1", { actorId: input.declaredBy });
      return inc;
    });
    // Committed: the channel is set up now, not at the provision worker's next poll.
    ctx.jobs.wake("provision");
    ctx.log.info({ incident: incidentRef(incident.id), severity: incident.severity }, "incident declared");
    return { incident, created: true };
  } catch (e) {
    // Two deliveries of the same request raced: the loser returns the winner's incident.
    if (input.requestKey && e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      const existing = await ctx.prisma.incident.findUnique({ where: { requestKey: input.requestKey } });
      if (existing) return { incident: existing, created: false };
    }
    throw e;
  }
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs.filter(Boolean))];
}
