import { z } from "zod";
import { ITEM_NUMBER_PATTERN, numberSections } from "../checklist/numbering.js";

/** Item lines are rendered one per Slack line; 150 characters keeps them on one or two lines. */
export const ITEM_TEXT_MAX = 150;

const kebab = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const metricName = /^[a-z][a-z0-9_]*$/;

export const CRITERION_OPS = ["<", "<=", ">", ">="] as const;
export type CriterionOp = (typeof CRITERION_OPS)[number];

/**
 * Units are those a person types when recording a value: `%` criteria hold percent (0.1 means 0.1 %),
 * `ratio` criteria hold fractions (0.80), `score` is a bare number on the metric's own scale (AUC, 1–10 rating).
 */
export const CRITERION_UNITS = ["ms", "s", "%", "req/s", "GB", "MB", "count", "ratio", "score", "days", "$"] as const;
export type CriterionUnit = (typeof CRITERION_UNITS)[number];

export const CriterionSchema = z
  .object({
    metric: z.string().regex(metricName, "metric must be snake_case, e.g. latency_p99"),
    /** Short display name used in evaluation text, e.g. "p99"; falls back to the metric name. */
    name: z.string().min(1).max(40).optional(),
    op: z.enum(CRITERION_OPS),
    value: z.number().finite(),
    unit: z.enum(CRITERION_UNITS).optional(),
    label: z.string().min(1).max(80),
  })
  .strict();

export const TemplateItemSchema = z
  .object({
    key: z.string().max(60).regex(kebab, "key must be a kebab-case slug"),
    text: z.string().trim().min(1).max(ITEM_TEXT_MAX),
    detail: z.array(z.string().trim().min(1).max(300)).min(1).optional(),
    criterion: CriterionSchema.optional(),
  })
  .strict();

export const TemplateSectionSchema = z
  .object({
    title: z.string().trim().min(1).max(100),
    items: z.array(TemplateItemSchema).min(1),
  })
  .strict();

export const GateTemplateSchema = z
  .object({
    id: z.string().max(40).regex(kebab, "id must be kebab-case, e.g. fairness-review"),
    title: z.string().trim().min(1).max(100),
    description: z.string().trim().min(1).max(500),
    /** Which part of which seed document (or team document) the template encodes. */
    source: z.string().trim().min(1).max(200),
    stage: z
      .object({
        order: z.number().int().positive(),
        /** Template id that must have passed for the same subject before this one opens. */
        requires: z.string().regex(kebab).optional(),
      })
      .strict()
      .optional(),
    sections: z.array(TemplateSectionSchema).min(1),
  })
  .strict()
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.sections.forEach((section, s) => {
      section.items.forEach((item, i) => {
        if (seen.has(item.key)) {
          ctx.addIssue({
            code: "custom",
            path: ["sections", s, "items", i, "key"],
            message: `duplicate item key "${item.key}"`,
          });
        }
        seen.add(item.key);
      });
    });
    if (template.stage?.requires === template.id) {
      ctx.addIssue({ code: "custom", path: ["stage", "requires"], message: "a template cannot require itself" });
    }
  });

export type Criterion = z.infer<typeof CriterionSchema>;
export type TemplateItem = z.infer<typeof TemplateItemSchema>;
export type TemplateSection = z.infer<typeof TemplateSectionSchema>;
export type GateTemplate = z.infer<typeof GateTemplateSchema>;
/** What template authors write (before defaults and trimming). */
export type GateTemplateInput = z.input<typeof GateTemplateSchema>;

export type NumberedItem = TemplateItem & { number: string; sectionTitle: string };

/** Every item of the template with its `<section>.<n>` number, in display order. */
export function numberItems(template: GateTemplate): NumberedItem[] {
  return numberSections(template.sections, (section) => ({ sectionTitle: section.title }));
}

/** Finds an item by its number (`2.3`) or its stable key (`p99-latency`). */
export function findItem(template: GateTemplate, ref: string): NumberedItem | undefined {
  const wanted = ref.trim();
  const byNumber = ITEM_NUMBER_PATTERN.test(wanted);
  return numberItems(template).find((item) => (byNumber ? item.number === wanted : item.key === wanted));
}

/** Dotted path of a zod issue (`sections.0.items.2.text`), the format used in every error line. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}
