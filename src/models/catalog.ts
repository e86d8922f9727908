import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

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
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseModels(text, path);
}

export function parseModels(text: string, filename: string): ModelEntry[] {
  let data: unknown;
  try {
    data = /\.json$/i.test(filename) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(`${filename}: cannot parse: ${(e as Error).message.split(/\r?\n/)[0]}`);
  }
  const parsed = ModelsFileSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [top, index, ...field] = issue.path;
    let where = String(top ?? "(top level)");
    if (top === "models" && typeof index === "number") {
      const raw = (data as { models?: { name?: unknown }[] }).models?.[index];
      const name = typeof raw?.name === "string" && raw.name ? ` (${raw.name})` : "";
      where = `models[${index}]${name}${field.length ? ` field ${field.join(".")}` : ""}`;
    }
    const msg = issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message;
    throw new Error(`${filename}: ${where}: ${msg}`);
  }
  const seen = new Set<string>();
  for (const [i, m] of parsed.data.models.entries()) {
    if (seen.has(m.name)) throw new Error(`${filename}: models[${i}] (${m.name}) field name: listed twice`);
    seen.add(m.name);
  }
  return parsed.data.models;
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
