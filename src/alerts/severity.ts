import { z } from "zod";
import { type Severity, SeveritySchema } from "../incidents/types.js";
import { type Judgement, type MetricInput, type MetricOverrides, judgeSeverity } from "./thresholds.js";

export type SeveritySource = "explicit" | "metric" | "default" | "route";

export const SeverityConfigSchema = z
  .object({
    /** sender word (case-insensitive) → priority; P1..P4 always pass through */
    mapping: z.record(z.string(), SeveritySchema).default({}),
    /** no explicit severity and no judgeable metric (the contract says "warning") */
    fallback: SeveritySchema.default("P3"),
    /** a judgeable metric that is inside every limit: the sender still fired, so keep it, quietly */
    withinLimits: SeveritySchema.default("P4"),
  })
  .strict();
export type SeverityConfig = z.output<typeof SeverityConfigSchema>;

/** PagerDuty's four levels, as in the contract. */
export const DEFAULT_SEVERITY_MAPPING: Readonly<Record<string, Severity>> = {
  critical: "P1",
  error: "P2",
  warning: "P3",
  info: "P4",
};

export const DEFAULT_SEVERITY_CONFIG: SeverityConfig = { mapping: {}, fallback: "P3", withinLimits: "P4" };

/** Maps a sender's severity word to a priority; null when absent or unknown (then the metric decides). */
export function mapExplicitSeverity(raw: string | null | undefined, config: SeverityConfig = DEFAULT_SEVERITY_CONFIG) {
  if (!raw) return null;
  const word = raw.trim().toLowerCase();
  const pass = /^p([1-4])$/.exec(word);
  if (pass) return `P${pass[1]}` as Severity;
  const mapping: Record<string, Severity> = { ...DEFAULT_SEVERITY_MAPPING };
  for (const [key, value] of Object.entries(config.mapping)) mapping[key.toLowerCase()] = value;
  return mapping[word] ?? null;
}

export type SeverityInput = {
  severity?: string | null;
  metric?: MetricInput | null;
  profile?: string;
  overrides?: MetricOverrides;
};

export type SeverityDecision = { severity: Severity; severitySource: SeveritySource; judgement: Judgement | null };

/** Explicit severity wins; else the metric is judged by the thresholds; else the fallback (P3). */
export function decideSeverity(input: SeverityInput, config: SeverityConfig = DEFAULT_SEVERITY_CONFIG): SeverityDecision {
  const judgement = input.metric ? judgeSeverity(input.metric, { profile: input.profile, overrides: input.overrides }) : null;
  const explicit = mapExplicitSeverity(input.severity, config);
  if (explicit) return { severity: explicit, severitySource: "explicit", judgement };
  if (judgement) return { severity: judgement.severity ?? config.withinLimits, severitySource: "metric", judgement };
  return { severity: config.fallback, severitySource: "default", judgement: null };
}
