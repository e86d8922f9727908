import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";

/** Reads a settings file named by a variable; a missing or unreadable file is one line naming it. */
export function readSettingsFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Parses a YAML or JSON settings file that holds one list of named entries (`models:` by `name`, `components:`
 * by `id`) and validates it with `schema`. Every error is one line naming the file, the entry (index and key)
 * and the field; an entry whose key is listed twice is refused.
 */
export function parseSettingsFile<S extends z.ZodType>(
  text: string,
  filename: string,
  schema: S,
  list: { field: string; key: string },
): z.output<S> {
  let data: unknown;
  try {
    data = /\.json$/i.test(filename) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new Error(`${filename}: cannot parse: ${(e as Error).message.split(/\r?\n/)[0]}`);
  }
  const entryName = (index: number) => {
    const raw = (data as Record<string, Record<string, unknown>[] | undefined>)[list.field]?.[index]?.[list.key];
    return typeof raw === "string" && raw ? ` (${raw})` : "";
  };
  const parsed = schema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [top, index, ...field] = issue.path;
    let where = String(top ?? "(top level)");
    if (top === list.field && typeof index === "number") {
      where = `${list.field}[${index}]${entryName(index)}${field.length ? ` field ${field.join(".")}` : ""}`;
    }
    const msg = issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message;
    throw new Error(`${filename}: ${where}: ${msg}`);
  }
  const entries = (parsed.data as Record<string, Record<string, unknown>[]>)[list.field] ?? [];
  const seen = new Set<unknown>();
  for (const [i, entry] of entries.entries()) {
    const key = entry[list.key];
    if (seen.has(key)) throw new Error(`${filename}: ${list.field}[${i}] (${String(key)}) field ${list.key}: listed twice`);
    seen.add(key);
  }
  return parsed.data;
}
