import { z } from "zod";

/** Failure classes from the seed's incident response section. */
export const CategorySchema = z.enum(["data", "model", "infrastructure", "integration"]);
export type Category = z.infer<typeof CategorySchema>;

/**
 * How a metric is compared with its limits (always strictly `>` or `<`, never at the limit):
 * - `above` / `below`: the value itself (`below` for "higher is better" metrics such as AUC);
 * - `ratio`: value / baseline (`2` = twice the baseline);
 * - `relative_drop` / `relative_increase`: (baseline - value) / baseline, (value - baseline) / baseline;
 * - `increase`: value - baseline (Brier +0.02);
 * - `std_shift`: |value - baseline| / std.
 */
export const RuleKindSchema = z.enum(["above", "below", "ratio", "relative_drop", "relative_increase", "increase", "std_shift"]);
export type RuleKind = z.infer<typeof RuleKindSchema>;

export const ThresholdRuleSchema = z.object({
  label: z.string().min(1),
  category: CategorySchema,
  kind: RuleKindSchema,
  warning: z.number().optional(),
  critical: z.number().optional(),
  unit: z.string().optional(),
});
export type ThresholdRule = z.infer<typeof ThresholdRuleSchema>;

export const ThresholdTableSchema = z.record(z.string(), ThresholdRuleSchema);
export type ThresholdTable = z.infer<typeof ThresholdTableSchema>;

/** The seed's "Alert Thresholds Guide" (production ML checklist), as data. */
const SEED_THRESHOLDS: ThresholdTable = ThresholdTableSchema.parse({
  psi: { label: "PSI", category: "data", kind: "above", warning: 0.1, critical: 0.25 },
  ks: { label: "KS", category: "data", kind: "above", warning: 0.05, critical: 0.1 },
  js: { label: "JS divergence", category: "data", kind: "above", warning: 0.05, critical: 0.1 },
  null_rate: { label: "null rate", category: "data", kind: "ratio", warning: 2, critical: 5, unit: "× baseline" },
  // "Any new category" is a warning: any share above 0; above 5% of traffic is critical.
  new_category_share: { label: "new category share", category: "data", kind: "above", warning: 0, critical: 0.05 },
  primary_metric: {
    label: "primary metric drop",
    category: "model",
    kind: "relative_drop",
    warning: 0.05,
    critical: 0.1,
  },
  prediction_mean: {
    label: "prediction mean shift",
    category: "model",
    kind: "std_shift",
    warning: 2,
    critical: 3,
    unit: " std",
  },
  prediction_variance: {
    label: "prediction variance increase",
    category: "model",
    kind: "relative_increase",
    warning: 0.5,
    critical: 1,
  },
  brier: { label: "Brier score increase", category: "model", kind: "increase", warning: 0.02, critical: 0.05 },
  latency_p99: {
    label: "p99 latency",
    category: "infrastructure",
    kind: "ratio",
    warning: 2,
    critical: 5,
    unit: "× baseline",
  },
  latency_p50: {
    label: "p50 latency",
    category: "infrastructure",
    kind: "ratio",
    warning: 1.5,
    critical: 3,
    unit: "× baseline",
  },
  error_rate: { label: "error rate", category: "infrastructure", kind: "above", warning: 0.01, critical: 0.05 },
  memory_utilization: { label: "memory", category: "infrastructure", kind: "above", warning: 0.8, critical: 0.95 },
  cpu_utilization: { label: "CPU", category: "infrastructure", kind: "above", warning: 0.7, critical: 0.9 },
  queue_depth: { label: "queue depth", category: "infrastructure", kind: "above", warning: 100, critical: 1000 },
});

/**
 * The lead-scoring seed. Its escalation path puts a single metric past an "Automated Alerts" limit in the
 * YELLOW zone ("AUC = 0.84 (below 0.85 threshold)" → warning, plan retraining within 48 h) and calls RED
 * "API error rate > 5%, latency > 500ms" (rollback within 1 h). So the automated-alert limits are warnings
 * and only the red-zone examples are critical; a metric the seed gives no red limit for never pages alone.
 */
const LEAD_SCORING_THRESHOLDS: ThresholdTable = ThresholdTableSchema.parse({
  // Automated alert "AUC drops below 0.85"; yellow-zone example AUC 0.84. No red AUC limit in the seed.
  auc: { label: "AUC", category: "model", kind: "below", warning: 0.85 },
  // Automated alert "KS statistic > 0.15 for any feature" (dashboard: KS < 0.15); no red KS limit in the seed.
  ks: { label: "KS", category: "data", kind: "above", warning: 0.15 },
  // Absolute milliseconds: automated alert "p99 latency > 200ms"; red zone "latency > 500ms".
  latency_p99: {
    label: "p99 latency",
    category: "infrastructure",
    kind: "above",
    warning: 200,
    critical: 500,
    unit: " ms",
  },
  // Automated alert "error rate > 0.5%"; red zone "API error rate > 5%".
  error_rate: { label: "error rate", category: "infrastructure", kind: "above", warning: 0.005, critical: 0.05 },
  // Automated alert "model coverage < 95% (% leads scored)"; no red coverage limit in the seed.
  coverage: { label: "coverage", category: "model", kind: "below", warning: 0.95 },
});

/** Named threshold profiles: `default` is the seed guide; others replace single metrics of it. */
export const THRESHOLD_PROFILES: Readonly<Record<string, ThresholdTable>> = {
  default: SEED_THRESHOLDS,
  "lead-scoring": { ...SEED_THRESHOLDS, ...LEAD_SCORING_THRESHOLDS },
};

/** Metrics that mean "the wrong version is talking to the wrong thing". */
const INTEGRATION_METRICS = new Set(["version_mismatch", "model_version"]);

/** Category of a metric name whether or not it can be judged (data, model, infrastructure, integration). */
export function categoryForMetric(name: string, profile?: string): Category | null {
  const key = normalizeMetricName(name);
  if (INTEGRATION_METRICS.has(key)) return "integration";
  return tableFor(profile)[key]?.category ?? null;
}

export function normalizeMetricName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

function tableFor(profile?: string): ThresholdTable {
  return THRESHOLD_PROFILES[profile ?? "default"] ?? SEED_THRESHOLDS;
}

// --- configuration -----------------------------------------------------------------------------

/** Per-metric override: change the limits (and optionally how they are compared). */
export const RuleOverrideSchema = z
  .object({ warning: z.number().optional(), critical: z.number().optional(), kind: RuleKindSchema.optional() })
  .strict();
export type RuleOverride = z.infer<typeof RuleOverrideSchema>;
export const MetricOverridesSchema = z.record(z.string(), RuleOverrideSchema);
export type MetricOverrides = z.infer<typeof MetricOverridesSchema>;

export const ThresholdConfigSchema = z
  .object({
    /** model name → profile name */
    profiles: z.record(z.string(), z.string()).default({}),
    overrides: z
      .object({
        models: z.record(z.string(), MetricOverridesSchema).default({}),
        services: z.record(z.string(), MetricOverridesSchema).default({}),
      })
      .strict()
      .default({ models: {}, services: {} }),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const [model, profile] of Object.entries(config.profiles)) {
      if (!(profile in THRESHOLD_PROFILES)) {
        ctx.addIssue({
          code: "custom",
          path: ["profiles", model],
          message: `unknown profile "${profile}" (known: ${Object.keys(THRESHOLD_PROFILES).join(", ")})`,
        });
      }
    }
  });
export type ThresholdConfig = z.output<typeof ThresholdConfigSchema>;

/** Built-in: the lead-scoring model uses the lead-scoring profile. */
export const DEFAULT_THRESHOLD_CONFIG: ThresholdConfig = {
  profiles: { "lead-scoring": "lead-scoring" },
  overrides: { models: {}, services: {} },
};

export type ResolvedProfile = { profile: string; overrides: MetricOverrides };

/** Picks the profile for an alert's model, and merges service then model overrides (model wins). */
export function resolveProfile(
  alert: { model?: string | null; service?: string | null },
  config: ThresholdConfig = DEFAULT_THRESHOLD_CONFIG,
): ResolvedProfile {
  const profiles = { ...DEFAULT_THRESHOLD_CONFIG.profiles, ...config.profiles };
  const profile = (alert.model && profiles[alert.model]) || "default";
  const fromService = (alert.service && config.overrides.services[alert.service]) || {};
  const fromModel = (alert.model && config.overrides.models[alert.model]) || {};
  const overrides: MetricOverrides = { ...fromService };
  for (const [metric, rule] of Object.entries(fromModel)) overrides[metric] = { ...overrides[metric], ...rule };
  return { profile, overrides };
}

// --- judging -----------------------------------------------------------------------------------

export type MetricInput = { name: string; value: number; baseline?: number; std?: number };
export type Level = "critical" | "warning" | "ok";
export type Judgement = { level: Level; severity: "P1" | "P3" | null; category: Category; reason: string };

// Metrics arrive as floats (0.13 - 0.11 = 0.020000000000000018); a value within this of a limit counts as "at" it.
const EPSILON = 1e-9;

/** Judges a metric against the seed thresholds (strictly beyond a limit); null when it cannot be judged. */
export function judgeSeverity(metric: MetricInput, options: { profile?: string; overrides?: MetricOverrides } = {}): Judgement | null {
  const key = normalizeMetricName(metric.name);
  const base = tableFor(options.profile)[key];
  const override = options.overrides?.[key] ?? options.overrides?.[metric.name];
  if (!base || !Number.isFinite(metric.value)) return null;
  const rule: ThresholdRule = override ? { ...base, ...stripUndefined(override) } : base;
  const observed = observe(rule.kind, metric);
  if (observed === null) return null;
  const beyond = (limit: number | undefined) => limit !== undefined && isBeyond(rule.kind, observed, limit);
  const level: Level = beyond(rule.critical) ? "critical" : beyond(rule.warning) ? "warning" : "ok";
  const severity = level === "critical" ? "P1" : level === "warning" ? "P3" : null;
  return { level, severity, category: rule.category, reason: describe(rule, observed, level) };
}

function stripUndefined(override: RuleOverride): Partial<ThresholdRule> {
  return Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined));
}

/** The number compared with the limits, or null when the inputs cannot support the comparison. */
function observe(kind: RuleKind, { value, baseline, std }: MetricInput): number | null {
  switch (kind) {
    case "above":
    case "below":
      return value;
    case "increase":
      return isNum(baseline) ? value - baseline : null;
    case "std_shift":
      return isNum(baseline) && isNum(std) && std > 0 ? Math.abs(value - baseline) / std : null;
    default:
      // Ratios need a positive baseline: "2× a zero null rate" has no meaning.
      if (!isNum(baseline) || baseline <= 0) return null;
      if (kind === "ratio") return value / baseline;
      if (kind === "relative_drop") return (baseline - value) / baseline;
      return (value - baseline) / baseline;
  }
}

function isNum(n: number | undefined): n is number {
  return typeof n === "number" && Number.isFinite(n);
}

function isBeyond(kind: RuleKind, observed: number, limit: number): boolean {
  const slack = EPSILON * Math.max(1, Math.abs(limit));
  return kind === "below" ? observed < limit - slack : observed > limit + slack;
}

function describe(rule: ThresholdRule, observed: number, level: Level): string {
  const limit = level === "critical" ? rule.critical : level === "warning" ? rule.warning : (rule.warning ?? rule.critical);
  const shown = `${rule.label} ${fmt(observed)}${rule.unit ?? ""}`;
  if (limit === undefined) return `${shown} (ok)`;
  const op = level === "ok" ? (rule.kind === "below" ? "≥" : "≤") : rule.kind === "below" ? "<" : ">";
  return `${shown} ${op} ${fmt(limit)}${rule.unit ?? ""} (${level})`;
}

function fmt(n: number): string {
  return Number.parseFloat(n.toPrecision(4)).toString();
}
