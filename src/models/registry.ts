import type { AppContext } from "../context.js";
import type { Config } from "../config.js";
import { findModel, type ModelEntry } from "./catalog.js";
import { MlflowClient, RegistryError } from "./mlflow.js";

const clients = new WeakMap<Config, MlflowClient>();

/** One MLflow client per app (per config object), so tests running several apps keep theirs apart. */
export function registryFor(ctx: AppContext): MlflowClient {
  let c = clients.get(ctx.config);
  if (!c) {
    c = new MlflowClient(ctx.config.mlflow);
    clients.set(ctx.config, c);
  }
  return c;
}

export function modelByName(ctx: AppContext, name: string | null | undefined): ModelEntry | undefined {
  return findModel(ctx.config.models, name);
}

const CACHE_MS = 15_000;
const aliasCache = new Map<string, { at: number; version: string | null; error?: string }>();

/** The alias's version for listings, cached briefly (never used to decide a rollback). */
export async function cachedAliasVersion(ctx: AppContext, m: ModelEntry): Promise<{ version: string | null; error?: string }> {
  const key = `${ctx.config.mlflow.trackingUri}|${m.registryModel}|${m.alias}`;
  const hit = aliasCache.get(key);
  const now = Date.now();
  if (hit && now - hit.at < CACHE_MS) return hit;
  try {
    const v = await registryFor(ctx).getAlias(m.registryModel, m.alias);
    const entry = { at: now, version: v?.version ?? null };
    aliasCache.set(key, entry);
    return entry;
  } catch (e) {
    return { version: null, error: e instanceof RegistryError ? e.plain : (e as Error).message };
  }
}

/** A webhook said the alias moved: the next listing reads the registry again. */
export function forgetAlias(ctx: AppContext, registryModel: string, alias?: string): void {
  for (const key of aliasCache.keys()) {
    if (key.startsWith(`${ctx.config.mlflow.trackingUri}|${registryModel}|`) && (!alias || key.endsWith(`|${alias}`)))
      aliasCache.delete(key);
  }
}
