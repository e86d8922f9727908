import { z } from "zod";
import { parseSettingsFile, readSettingsFile } from "../text/settings-file.js";

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

export const ModelEntrySchema = z
  .object({
    name: z.string().trim().min(1, "must be a non-empty model name"),
    registryModel: z.string().trim().min(1).optional(),
    alias: z.string().trim().min(1, "must name the alias serving follows, e.g. champion"),
    healthUrl: z.url({ message: "must be an http(s) URL like http://lead-scoring-api:8080/health" }),
    healthVersionField: z.string().trim().min(1).default("version"),
    services: z.array(z.string().trim().min(1)).default([]),
    owners: z.array(z.string().regex(SLACK_USER, "must be Slack user ids like U0ALICE")).default([]),
  })
  .strict()
  .transform((m) => ({ ...m, registryModel: m.registryModel ?? m.name }));
export type ModelEntry = z.output<typeof ModelEntrySchema>;

const ModelsFileSchema = z.object({ models: z.array(ModelEntrySchema) }).strict();

/** Reads MODELS_FILE (YAML or JSON). Throws an Error with one line naming the file, the entry and the field. */
export function loadModelsFile(path: string): ModelEntry[] {
  return parseModels(readSettingsFile(path), path);
}

export function parseModels(text: string, filename: string): ModelEntry[] {
  return parseSettingsFile(text, filename, ModelsFileSchema, { field: "models", key: "name" }).models;
}

/** The catalog entry an alert or a declarer names: by name, registry model, or one of its services. */
export function findModel(models: readonly ModelEntry[], ...names: (string | null | undefined)[]): ModelEntry | undefined {
  for (const n of names) {
    if (!n) continue;
    const hit = models.find((m) => m.name === n || m.registryModel === n) ?? models.find((m) => m.services.includes(n));
    if (hit) return hit;
  }
  return undefined;
}
