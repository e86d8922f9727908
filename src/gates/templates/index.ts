import { type GateTemplate, type GateTemplateInput, GateTemplateSchema, issuePath } from "../template-schema.js";
import { abTest, canary, cicd, fullRollout, leadScoringPreDeployment, shadow } from "./lead-scoring.js";
import { dataPipeline, modelDevelopment, preDevelopment } from "./lifecycle-early.js";
import { documentation, modelCard, monitoring, preDeployment } from "./lifecycle-late.js";

/** Built-in templates in display order: the ML lifecycle, then the lead-scoring rollout. */
const sources: GateTemplateInput[] = [
  preDevelopment,
  dataPipeline,
  modelDevelopment,
  modelCard,
  preDeployment,
  monitoring,
  documentation,
  leadScoringPreDeployment,
  shadow,
  canary,
  abTest,
  fullRollout,
  cicd,
];

/** Checks the built-ins as a whole: unique ids, and every `stage.requires` names one of them. */
function checkTemplateSet(templates: readonly GateTemplate[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const t of templates) {
    if (ids.has(t.id)) problems.push(`duplicate template id "${t.id}"`);
    ids.add(t.id);
  }
  for (const t of templates) {
    const requires = t.stage?.requires;
    if (requires && !ids.has(requires)) problems.push(`${t.id}: stage.requires names unknown template "${requires}"`);
  }
  return problems;
}

function validateBuiltIns(inputs: GateTemplateInput[]): readonly GateTemplate[] {
  const templates = inputs.map((input) => {
    const result = GateTemplateSchema.safeParse(input);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      // A built-in that fails its own schema is a programming error: fail at import, loudly.
      throw new Error(`built-in gate template "${input.id}" is invalid at ${issuePath(issue.path)}: ${issue.message}`);
    }
    return result.data;
  });
  const problems = checkTemplateSet(templates);
  if (problems.length > 0) throw new Error(`built-in gate templates: ${problems.join("; ")}`);
  return Object.freeze(templates);
}

export const builtInTemplates: readonly GateTemplate[] = validateBuiltIns(sources);

const byId = new Map(builtInTemplates.map((t) => [t.id, t]));

export function getTemplate(id: string): GateTemplate | undefined {
  return byId.get(id.trim().toLowerCase());
}

export type TemplateSummary = Pick<GateTemplate, "id" | "title" | "description" | "stage"> & { itemCount: number };

export function listTemplates(): TemplateSummary[] {
  return builtInTemplates.map((t) => ({
    id: t.id,
    title: t.title,
    description: t.description,
    stage: t.stage,
    itemCount: t.sections.reduce((n, s) => n + s.items.length, 0),
  }));
}
