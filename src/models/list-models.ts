import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import type { ModelEntry } from "./catalog.js";
import { readHealthVersion, RegistryError } from "./mlflow.js";
import { loadModelGates, type ModelGateView } from "./model-gates.js";
import { cachedAliasVersion, modelByName, registryFor } from "./registry.js";

/** One catalog model as `/incident models` and `/incident model` show it (blocks/models.ts renders it). */
export interface ModelStatusView {
  name: string;
  registryModel: string;
  alias: string;
  aliasVersion: string | null;
  registryError: string | null;
  health: { version: string } | { error: string };
  owners: string[];
  services: string[];
}

async function statusOf(ctx: AppContext, m: ModelEntry, fresh = false): Promise<ModelStatusView> {
  let aliasVersion: string | null = null;
  let registryError: string | null = null;
  if (!registryFor(ctx).configured) registryError = "MLFLOW_TRACKING_URI is not set";
  else if (fresh) {
    try {
      aliasVersion = (await registryFor(ctx).getAlias(m.registryModel, m.alias))?.version ?? null;
    } catch (e) {
      registryError = e instanceof RegistryError ? e.plain : (e as Error).message;
    }
  } else {
    const r = await cachedAliasVersion(ctx, m);
    aliasVersion = r.version;
    registryError = r.error ?? null;
  }
  const health = await readHealthVersion(m.healthUrl, m.healthVersionField);
  return {
    name: m.name,
    registryModel: m.registryModel,
    alias: m.alias,
    aliasVersion,
    registryError,
    health,
    owners: m.owners,
    services: m.services,
  };
}

export async function listModels(ctx: AppContext): Promise<ModelStatusView[]> {
  return Promise.all(ctx.config.models.map((m) => statusOf(ctx, m)));
}

/** What `/incident model` shows: the model now, the version at declaration and the versions the bot saw before. */
export interface IncidentModelView {
  incidentId: number;
  status: ModelStatusView;
  declaredVersion: string | null;
  evidence: Record<string, string | number> | null;
  history: { from: string | null; to: string | null; source: string; at: Date }[];
  rollbacks: { id: number; fromVersion: string; toVersion: string; state: string; confirmedBy: string | null; error: string | null }[];
  /** Gates whose subject names the model and the version at declaration: who approved them, what was N/A and why. */
  gates: ModelGateView[];
}

export async function loadIncidentModel(ctx: AppContext, incidentId: number): Promise<IncidentModelView> {
  const inc = await ctx.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  const m = modelByName(ctx, inc.modelName);
  if (!m)
    throw new AppError(
      "usage",
      "This incident is not about a catalog model. Declare with `--model <name>` or use an alert that names the model.",
    );
  const [status, moves, rollbacks, gates] = await Promise.all([
    statusOf(ctx, m, true),
    ctx.prisma.modelAliasMove.findMany({ where: { model: m.registryModel, alias: m.alias }, orderBy: { at: "desc" }, take: 10 }),
    ctx.prisma.rollback.findMany({ where: { incidentId }, orderBy: { id: "asc" } }),
    loadModelGates(ctx.prisma, [m.name, m.registryModel], inc.modelVersion),
  ]);
  return {
    incidentId,
    status,
    declaredVersion: inc.modelVersion,
    evidence: (inc.modelEvidence as Record<string, string | number> | null) ?? null,
    history: moves.map((x) => ({ from: x.fromVersion, to: x.toVersion, source: x.source, at: x.at })),
    rollbacks: rollbacks.map((r) => ({
      id: r.id,
      fromVersion: r.fromVersion,
      toVersion: r.toVersion,
      state: r.state,
      confirmedBy: r.confirmedBy,
      error: r.error,
    })),
    gates,
  };
}
