import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { type MatchableAlert, labelView } from "./label-view.js";
import type { NormalizedAlert } from "./normalize.js";
import { SeveritySchema, type Severity } from "../incidents/types.js";
import { SeverityConfigSchema, decideSeverity } from "./severity.js";
import { THRESHOLD_PROFILES, ThresholdConfigSchema, resolveProfile, type ThresholdConfig } from "./thresholds.js";
import { toIssues } from "./issues.js";

const RegexSchema = z.string().superRefine((pattern, ctx) => {
  try {
    new RegExp(`^(?:${pattern})$`, "u");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `invalid regular expression: ${(error as Error).message}` });
  }
});

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

export const RouteSchema = z
  .object({
    name: z.string().optional(),
    /** exact label matches; `team`, `service`, `model`, … (service/model also match the normalized fields) */
    match: z.record(z.string(), z.string()).default({}),
    /** anchored regular expressions per label */
    match_re: z.record(z.string(), RegexSchema).default({}),
    responders: z.array(z.string().regex(SLACK_USER_ID, "expected a Slack user id like U012ABCDEF")).default([]),
    triage_channel: z.string().regex(SLACK_CHANNEL_ID, "expected a Slack channel id like C012ABCDEF").optional(),
    severity: SeveritySchema.optional(),
    profile: z
      .string()
      .refine((p) => p in THRESHOLD_PROFILES, {
        message: `unknown profile (known: ${Object.keys(THRESHOLD_PROFILES).join(", ")})`,
      })
      .optional(),
    continue: z.boolean().default(false),
  })
  .strict();
export type Route = z.output<typeof RouteSchema>;

/** The file named by ALERT_ROUTES_FILE (YAML or JSON). Strict: a typo in a key is an error, not a no-op. */
export const RoutingConfigSchema = z
  .object({
    routes: z.array(RouteSchema).default([]),
    thresholds: ThresholdConfigSchema.optional(),
    severity: SeverityConfigSchema.optional(),
  })
  .strict();
export type RoutingConfig = z.output<typeof RoutingConfigSchema>;

export const EMPTY_ROUTING_CONFIG: RoutingConfig = { routes: [] };

/** Reads ALERT_ROUTES_FILE (none: the empty config); throws an Error with one line when it cannot be read or is invalid. */
export function readRoutingFile(file: string | undefined): RoutingConfig {
  if (!file) return EMPTY_ROUTING_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return loadRoutingConfig(text, file);
}

/** Parses and validates the routing file; throws an Error with one line naming the file and the first bad path. */
export function loadRoutingConfig(text: string, filename: string): RoutingConfig {
  let data: unknown;
  try {
    data = /\.json$/i.test(filename) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${filename}: cannot parse: ${oneLine((error as Error).message)}`);
  }
  const parsed = RoutingConfigSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const [first] = toIssues(parsed.error);
    throw new Error(`${filename}: ${first.path || "(top level)"}: ${oneLine(first.message)}`);
  }
  return parsed.data;
}

function oneLine(text: string): string {
  return text.split(/\r?\n/)[0].trim();
}

export type RouteDefaults = { responders?: readonly string[]; triageChannel?: string | null; profile?: string | null };
export type RouteDecision = {
  /** the defaults (INCIDENT_RESPONDERS) plus every matched route's responders, without duplicates */
  responders: string[];
  triageChannel: string | null;
  severityOverride: Severity | null;
  profile: string | null;
  /** indexes of the matched routes, for logs */
  matched: number[];
};

export function routeMatches(route: Route, view: Record<string, string>): boolean {
  const exact = Object.entries(route.match).every(([label, value]) => (view[label] ?? "") === value);
  const regex = Object.entries(route.match_re).every(([label, pattern]) => new RegExp(`^(?:${pattern})$`, "u").test(view[label] ?? ""));
  return exact && regex;
}

/** First matching route wins, unless it says `continue`; for single values the first route that sets one wins. */
export function routeAlert(alert: MatchableAlert, config: RoutingConfig, defaults: RouteDefaults = {}): RouteDecision {
  const view = labelView(alert);
  const decision: RouteDecision = {
    responders: [...(defaults.responders ?? [])],
    triageChannel: null,
    severityOverride: null,
    profile: null,
    matched: [],
  };
  for (const [index, route] of config.routes.entries()) {
    if (!routeMatches(route, view)) continue;
    decision.matched.push(index);
    decision.responders.push(...route.responders);
    decision.triageChannel ??= route.triage_channel ?? null;
    decision.severityOverride ??= route.severity ?? null;
    decision.profile ??= route.profile ?? null;
    if (!route.continue) break;
  }
  decision.responders = [...new Set(decision.responders)];
  decision.triageChannel ??= defaults.triageChannel ?? null;
  decision.profile ??= defaults.profile ?? null;
  return decision;
}

/**
 * Applies a route to a normalized alert: a severity override wins over everything; a route profile re-judges
 * the metric (an explicit sender severity still wins over the metric).
 */
export function applyRoute(alert: NormalizedAlert, decision: RouteDecision, config: RoutingConfig = EMPTY_ROUTING_CONFIG): NormalizedAlert {
  if (decision.severityOverride) return { ...alert, severity: decision.severityOverride, severitySource: "route" };
  if (!decision.profile) return alert;
  const { overrides } = resolveProfile(alert, config.thresholds as ThresholdConfig | undefined);
  const result = decideSeverity(
    { severity: alert.explicitSeverity, metric: alert.metric, profile: decision.profile, overrides },
    config.severity,
  );
  return {
    ...alert,
    severity: result.severity,
    severitySource: result.severitySource,
    severityReason: result.judgement?.reason ?? alert.severityReason,
    category: result.judgement?.category ?? alert.category,
  };
}
