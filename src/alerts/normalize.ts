import type { z } from "zod";
import { fitKey, labelFingerprint, stableHash } from "./fingerprint.js";
import { type Issue, type RejectedAlert, toIssues } from "./issues.js";
import { type AlertmanagerAlert, AlertmanagerAlertSchema, AlertmanagerEnvelopeSchema } from "./schemas/alertmanager.js";
import { type GenericAlert, GenericAlertSchema, GenericBatchEnvelopeSchema } from "./schemas/generic.js";
import { type GrafanaAlert, GrafanaAlertSchema, GrafanaEnvelopeSchema } from "./schemas/grafana.js";
import { isMetricNumber } from "./schemas/common.js";
import { type PagerDutyEvent, PagerDutyEventSchema } from "./schemas/pagerduty.js";
import type { Severity } from "../incidents/types.js";
import { type SeverityConfig, type SeveritySource, decideSeverity } from "./severity.js";
import {
  type Category,
  CategorySchema,
  DEFAULT_THRESHOLD_CONFIG,
  type MetricInput,
  type ThresholdConfig,
  categoryForMetric,
  resolveProfile,
} from "./thresholds.js";

export type AlertSource = "alertmanager" | "grafana" | "pagerduty" | "generic";
export type AlertLink = { text: string; url: string };

export type NormalizedAlert = {
  source: AlertSource | (string & {});
  /** who sent it: Alertmanager/Grafana receiver, PagerDuty payload.source, generic `source` */
  sourceName: string;
  /** dedupe key, ≤ 255 characters */
  fingerprint: string;
  groupKey: string | null;
  status: "firing" | "resolved";
  /** PagerDuty only */
  action?: "trigger" | "acknowledge" | "resolve";
  severity: Severity;
  /** `route` only after `applyRoute` set a route's severity override */
  severitySource: SeveritySource;
  /** the sender's own severity word, kept so a route's profile can re-judge without overriding it */
  explicitSeverity: string | null;
  /** why the metric gave this severity, e.g. "PSI 0.31 > 0.25 (critical)" */
  severityReason: string | null;
  /** ≤ 200 characters, cut with … */
  title: string;
  description: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date | null;
  endsAt: Date | null;
  links: AlertLink[];
  service: string | null;
  model: string | null;
  feature: string | null;
  metric: MetricInput | null;
  category: Category | null;
  raw: unknown;
};

export type NormalizeOptions = { severity?: SeverityConfig; thresholds?: ThresholdConfig };

export type NormalizeResult =
  { ok: true; alerts: NormalizedAlert[]; rejected: RejectedAlert[]; received: number } | { ok: false; error: string; issues: Issue[] };

export const MAX_TITLE_LENGTH = 200;

// --- per sender --------------------------------------------------------------------------------

export function normalizeAlertmanager(payload: unknown, opts: NormalizeOptions = {}): NormalizeResult {
  const envelope = AlertmanagerEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return invalid("alertmanager", envelope.error);
  const { groupKey, receiver } = envelope.data;
  return batch(envelope.data.alerts, AlertmanagerAlertSchema, (alert: AlertmanagerAlert, raw) =>
    finish(
      {
        ...fromLabelled(alert),
        source: "alertmanager",
        sourceName: unquoteMeta(receiver) ?? "alertmanager",
        // Alertmanager's own fingerprint is this very hash; recomputing it ignores forged or missing ones.
        fingerprint: labelFingerprint(alert.labels ?? {}),
        groupKey: groupKey ? fitKey(groupKey) : null, // an incident owns it as an index key: long ones are hashed
        title: alert.annotations?.summary || alert.labels?.alertname || "Alertmanager alert",
        links: links([["source", alert.generatorURL]]),
        metric: metricFromLabels(alert.labels, alert.annotations),
        raw,
      },
      opts,
    ),
  );
}

export function normalizeGrafana(payload: unknown, opts: NormalizeOptions = {}): NormalizeResult {
  const envelope = GrafanaEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return invalid("grafana", envelope.error);
  const { groupKey, receiver, title: groupTitle } = envelope.data;
  return batch(envelope.data.alerts, GrafanaAlertSchema, (alert: GrafanaAlert, raw) =>
    finish(
      {
        ...fromLabelled(alert),
        source: "grafana",
        sourceName: unquoteMeta(receiver) ?? "grafana",
        // Grafana hashes hidden labels (__alert_rule_uid__) too, so its fingerprint cannot be recomputed here.
        fingerprint: alert.fingerprint
          ? fitKey(alert.fingerprint)
          : labelFingerprint({
              ...(alert.labels ?? {}),
              ...(alert.ruleUID ? { __alert_rule_uid__: alert.ruleUID } : {}),
            }),
        groupKey: groupKey ? fitKey(groupKey) : null, // an incident owns it as an index key: long ones are hashed
        title: alert.annotations?.summary || alert.labels?.alertname || groupTitle || "Grafana alert",
        links: links([
          ["source", alert.generatorURL],
          ["dashboard", alert.dashboardURL],
          ["panel", alert.panelURL],
          ["silence", alert.silenceURL],
        ]),
        metric: grafanaMetric(alert),
        raw,
      },
      opts,
    ),
  );
}

export function normalizePagerDuty(payload: unknown, opts: NormalizeOptions = {}): NormalizeResult {
  const parsed = PagerDutyEventSchema.safeParse(payload);
  if (!parsed.success) return invalid("pagerduty", parsed.error);
  return { ok: true, alerts: [finish(pagerDutyDraft(parsed.data, payload), opts)], rejected: [], received: 1 };
}

export function normalizeGeneric(payload: unknown, opts: NormalizeOptions = {}): NormalizeResult {
  const isBatch = !!payload && typeof payload === "object" && !Array.isArray(payload) && "alerts" in payload;
  const build = (alert: GenericAlert, raw: unknown) => finish(genericDraft(alert, raw), opts);
  if (isBatch) {
    const envelope = GenericBatchEnvelopeSchema.safeParse(payload);
    if (!envelope.success) return invalid("generic", envelope.error);
    return batch(envelope.data.alerts, GenericAlertSchema, build);
  }
  const single = GenericAlertSchema.safeParse(payload);
  if (!single.success) return invalid("generic", single.error);
  return { ok: true, alerts: [build(single.data, payload)], rejected: [], received: 1 };
}

export const NORMALIZERS: Record<AlertSource, (payload: unknown, opts?: NormalizeOptions) => NormalizeResult> = {
  alertmanager: normalizeAlertmanager,
  grafana: normalizeGrafana,
  pagerduty: normalizePagerDuty,
  generic: normalizeGeneric,
};

// --- drafts ------------------------------------------------------------------------------------

type Draft = Omit<NormalizedAlert, "severity" | "severitySource" | "severityReason" | "category" | "service" | "model" | "feature"> & {
  service?: string | null;
  model?: string | null;
  feature?: string | null;
};

function fromLabelled(alert: AlertmanagerAlert | GrafanaAlert) {
  const labels = alert.labels ?? {};
  const annotations = alert.annotations ?? {};
  const endsAt = alert.endsAt ?? null;
  return {
    status: alert.status ?? (endsAt ? "resolved" : "firing"),
    explicitSeverity: labels.severity ?? null,
    description: annotations.description || annotations.summary || null,
    labels,
    annotations,
    startsAt: alert.startsAt ?? null,
    endsAt,
  } as const;
}

function pagerDutyDraft(event: PagerDutyEvent, raw: unknown): Draft {
  const p = event.payload;
  const details = flattenDetails(p?.custom_details);
  const labels = pick({ source: p?.source, component: p?.component, group: p?.group, class: p?.class, ...details });
  // Without a dedup_key PagerDuty would mint a UUID; hash the routing-independent fields so a re-send dedupes.
  const dedupKey = event.dedup_key ?? `pd-${stableHash([p?.summary, p?.source, p?.component ?? null, p?.group ?? null, p?.class ?? null])}`;
  return {
    source: "pagerduty",
    sourceName: p?.source || event.client || "pagerduty",
    fingerprint: dedupKey,
    groupKey: dedupKey,
    status: event.event_action === "resolve" ? "resolved" : "firing",
    action: event.event_action,
    explicitSeverity: p?.severity ?? null,
    title: p?.summary || `PagerDuty ${event.event_action}: ${dedupKey}`,
    description: detailsText(p?.custom_details),
    labels,
    annotations: {},
    startsAt: p?.timestamp ?? null,
    endsAt: null,
    links: links([...(event.links ?? []).map((l) => [l.text || "link", l.href] as const), [event.client || "source", event.client_url]]),
    service: labels.service ?? labels.job ?? p?.component ?? null,
    metric: metricFromLabels(labels, {}),
    raw,
  };
}

function genericDraft(alert: GenericAlert, raw: unknown): Draft {
  const labels = alert.labels ?? {};
  const annotations = alert.annotations ?? {};
  const identity = [alert.source, alert.title, alert.model ?? null, alert.service ?? null, alert.feature ?? null, labels];
  return {
    source: "generic",
    sourceName: alert.source,
    // Contract: without fingerprint the key comes from source, title, model, service, feature and labels.
    fingerprint: alert.fingerprint ? fitKey(alert.fingerprint) : stableHash(identity),
    groupKey: null,
    status: alert.status,
    explicitSeverity: alert.severity ?? null,
    title: alert.title,
    description: alert.description || annotations.description || annotations.summary || null,
    labels,
    annotations,
    startsAt: alert.startsAt ?? null,
    endsAt: alert.endsAt ?? null,
    links: links((alert.links ?? []).map((l) => [l.text || "link", l.url] as const)),
    service: alert.service,
    model: alert.model,
    feature: alert.feature,
    metric: alert.metric ?? metricFromLabels(labels, annotations),
    raw,
  };
}

const FALLBACK_TITLES: Record<string, string> = {
  alertmanager: "Alertmanager alert",
  grafana: "Grafana alert",
  pagerduty: "PagerDuty alert",
  generic: "Alert",
};

/** Fills identity fields from labels, judges severity and category, and cuts the title. */
function finish(draft: Draft, opts: NormalizeOptions): NormalizedAlert {
  const { labels } = draft;
  const service = draft.service || labels.service || labels.job || null;
  const model = draft.model || labels.model || labels.model_name || null;
  const feature = draft.feature || labels.feature || null;
  const { profile, overrides } = resolveProfile({ model, service }, opts.thresholds ?? DEFAULT_THRESHOLD_CONFIG);
  const decision = decideSeverity({ severity: draft.explicitSeverity, metric: draft.metric, profile, overrides }, opts.severity);
  return {
    ...draft,
    service,
    model,
    feature,
    // A title of only whitespace (a BOM, spaces) is no title: the incident it opens needs one.
    title: truncate(draft.title.trim() || FALLBACK_TITLES[draft.source] || "Alert", MAX_TITLE_LENGTH),
    severity: decision.severity,
    severitySource: decision.severitySource,
    severityReason: decision.judgement?.reason ?? null,
    category: decision.judgement?.category ?? categoryOf(draft.metric, labels, profile),
  };
}

// --- helpers -----------------------------------------------------------------------------------

function batch<S extends z.ZodType>(
  items: unknown[],
  schema: S,
  build: (item: z.output<S>, raw: unknown) => NormalizedAlert,
): NormalizeResult {
  const alerts: NormalizedAlert[] = [];
  const rejected: RejectedAlert[] = [];
  items.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) alerts.push(build(parsed.data, item));
    else rejected.push({ index, issues: toIssues(parsed.error, ["alerts", index]) });
  });
  return { ok: true, alerts, rejected, received: items.length };
}

function invalid(source: AlertSource, error: z.ZodError): NormalizeResult {
  return { ok: false, error: `invalid ${source} payload`, issues: toIssues(error) };
}

/** Alertmanager and Grafana pass the receiver name through regexp.QuoteMeta (`a.b` arrives as `a\.b`). */
export function unquoteMeta(text: string | undefined): string | undefined {
  return text ? text.replace(/\\(.)/g, "$1") : undefined;
}

/** Cuts to `max` code points (never splitting a surrogate pair), ending with … when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Keeps only http(s) links with a non-empty URL; a bad link never rejects an alert. */
function links(pairs: ReadonlyArray<readonly [string, string | undefined]>): AlertLink[] {
  return pairs
    .filter((pair): pair is readonly [string, string] => !!pair[1] && /^https?:\/\//i.test(pair[1]))
    .map(([text, url]) => ({ text, url }));
}

/** A label/annotation as a metric number; not one (like "n/a", "1e400" or 2^53 and beyond) is no metric. */
function num(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  return isMetricNumber(n) ? n : undefined;
}

/** An ML metric given as label/annotation `metric` plus `value` (and `baseline`, `std`). */
function metricFromLabels(
  labels: Record<string, string> | undefined,
  annotations: Record<string, string> | undefined,
  fallbackValue?: number,
): MetricInput | null {
  const read = (key: string) => annotations?.[key] ?? labels?.[key];
  const name = read("metric")?.trim();
  const value = num(read("value")) ?? fallbackValue;
  if (!name || value === undefined) return null;
  const metric: MetricInput = { name, value };
  const baseline = num(read("baseline"));
  const std = num(read("std"));
  if (baseline !== undefined) metric.baseline = baseline;
  if (std !== undefined) metric.std = std;
  return metric;
}

/**
 * Grafana: the value comes from `values` (one per expression RefID) when a `metric` label/annotation names the
 * metric. Preference: the RefID named by `value_ref`, a RefID equal to the metric name, then the first non-null
 * RefID in order (usually A, the query; C is typically the 0/1 threshold condition).
 */
function grafanaMetric(alert: GrafanaAlert): MetricInput | null {
  const direct = metricFromLabels(alert.labels, alert.annotations);
  if (direct) return direct;
  const values = alert.values ?? {};
  const ref = alert.annotations?.value_ref ?? alert.labels?.value_ref;
  const name = (alert.annotations?.metric ?? alert.labels?.metric)?.trim();
  if (!name) return null;
  const candidates = [ref, name, ...Object.keys(values).sort()].filter((k): k is string => !!k);
  // A value beyond the metric range is passed over like a null one (the alert itself is kept).
  const key = candidates.find((k) => typeof values[k] === "number" && isMetricNumber(values[k]));
  return key === undefined ? null : metricFromLabels(alert.labels, alert.annotations, values[key] as number);
}

function categoryOf(metric: MetricInput | null, labels: Record<string, string>, profile: string): Category | null {
  const fromMetric = metric ? categoryForMetric(metric.name, profile) : null;
  if (fromMetric) return fromMetric;
  const fromLabel = CategorySchema.safeParse(labels.category?.toLowerCase());
  if (fromLabel.success) return fromLabel.data;
  // A bare `model_version` label is usually informational, so only a mismatch label means integration.
  if ("version_mismatch" in labels || "model_version_mismatch" in labels) return "integration";
  return null;
}

/** PagerDuty custom_details: scalar entries become labels (strings), at most 50. */
function flattenDetails(details: unknown): Record<string, string> {
  if (!details || typeof details !== "object" || Array.isArray(details)) return {};
  const scalars = Object.entries(details).filter(([, v]) => ["string", "number", "boolean"].includes(typeof v));
  return Object.fromEntries(scalars.slice(0, 50).map(([k, v]) => [k, String(v)]));
}

function detailsText(details: unknown): string | null {
  if (typeof details === "string") return details || null;
  const flat = flattenDetails(details);
  return flat.description || flat.summary || null;
}

function pick(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((e): e is [string, string] => typeof e[1] === "string"));
}
