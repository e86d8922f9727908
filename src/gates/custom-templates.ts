import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { type GateTemplate, GateTemplateSchema, issuePath } from "./template-schema.js";
import { builtInTemplates } from "./templates/index.js";

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

export interface CustomTemplatesResult {
  templates: GateTemplate[];
  /** One line per refused file: `<file>: <path>: <problem>`. */
  errors: string[];
}

function firstLine(message: string): string {
  return message.split("\n", 1)[0]!.trim();
}

function parseFile(file: string, text: string): unknown {
  return path.extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
}

/**
 * Loads team templates (`*.yaml`, `*.yml`, `*.json`, one template per file) from `dir`, e.g. `GATE_TEMPLATES_DIR`.
 * Files are read in name order. A bad file is skipped with one error line; the others still load. Ids taken by a
 * built-in or by an earlier file are refused, and `stage.requires` must name a known template.
 */
export function loadCustomTemplates(dir: string, builtIns: readonly GateTemplate[] = builtInTemplates): CustomTemplatesResult {
  const errors: string[] = [];
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) return { templates: [], errors: [`${dir}: not a directory`] };
    names = readdirSync(dir)
      .filter((name) => EXTENSIONS.has(path.extname(name).toLowerCase()))
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      templates: [],
      errors: [`${dir}: ${code === "ENOENT" ? "directory not found" : firstLine(String(error))}`],
    };
  }

  const builtInIds = new Set(builtIns.map((t) => t.id));
  const loaded = new Map<string, { file: string; template: GateTemplate }>();
  for (const name of names) {
    let data: unknown;
    try {
      data = parseFile(name, readFileSync(path.join(dir, name), "utf8"));
    } catch (error) {
      errors.push(`${name}: not valid ${name.endsWith(".json") ? "JSON" : "YAML"}: ${firstLine((error as Error).message)}`);
      continue;
    }
    const result = GateTemplateSchema.safeParse(data);
    if (!result.success) {
      const [issue, ...rest] = result.error.issues;
      const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : "";
      errors.push(`${name}: ${issuePath(issue!.path)}: ${issue!.message}${more}`);
      continue;
    }
    const template = result.data;
    if (builtInIds.has(template.id)) {
      errors.push(`${name}: id: "${template.id}" is a built-in template id; choose another id`);
      continue;
    }
    const earlier = loaded.get(template.id);
    if (earlier) {
      errors.push(`${name}: id: "${template.id}" is already defined in ${earlier.file}`);
      continue;
    }
    loaded.set(template.id, { file: name, template });
  }

  // Checked once every file is in, so a template may require one from a later file.
  const templates: GateTemplate[] = [];
  for (const { file, template } of loaded.values()) {
    const requires = template.stage?.requires;
    if (requires && !builtInIds.has(requires) && !loaded.has(requires)) {
      errors.push(`${file}: stage.requires: unknown template "${requires}"`);
      continue;
    }
    templates.push(template);
  }
  return { templates, errors };
}
