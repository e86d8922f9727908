import type { FailureCategory } from "./rollback.js";

export interface RunbookItem {
  key: string;
  text: string;
  detail?: string[];
  /** How long the step should take before moving on, e.g. `10 min`. */
  timebox?: string;
}

export interface Runbook {
  id: string;
  title: string;
  when: {
    /** Fallback match: the incident's failure class. */
    categories?: FailureCategory[];
    /** Alert metric names (the generic alert's `metric.name`) this runbook answers. */
    metrics?: string[];
    /** Lower-case phrases looked for in an alert or incident title. */
    keywords?: string[];
    /** Drift runbooks: for one drifting feature, or for several (the seed's "multiple features"). */
    driftingFeatures?: "one" | "several";
  };
  items: RunbookItem[];
}

/** The lead-scoring seed's Troubleshooting Guide. */
export const runbooks: readonly Runbook[] = [
  {
    id: "scores-not-helping",
    title: "Sales says the scores no longer help prioritise",
    when: {
      categories: ["model", "integration"],
      metrics: ["auc", "coverage", "primary_metric"],
      keywords: ["not helping", "no longer help", "unhelpful", "prioriti"],
    },
    items: [
      {
        key: "system-health",
        text: "Check system health: predictions returned without errors, fresh (under 4 hours old), over 95 % of leads scored",
        timebox: "5 min",
      },
      {
        key: "model-performance",
        text: "Check model performance: 7-day average AUC against the 0.87 baseline",
        detail: ["Degraded: go to the drift investigation (3)", "Not degraded: skip to the data quality check (4)"],
        timebox: "10 min",
      },
      {
        key: "drift-investigation",
        text: "Investigate drift: KS test per feature; did high-importance features drift? Then retrain on recent data",
        timebox: "30 min",
      },
      {
        key: "data-quality",
        text: "Check data quality: more missing values, new categories, numeric outliers; fix at the source",
        timebox: "30 min",
      },
      {
        key: "business-alignment",
        text: "Check business alignment: changed sales process, new lead sources, market shifts; gather feedback, relabel",
        timebox: "20 min",
      },
      {
        key: "integration",
        text: "Check integration: sales use the scores as intended, CRM shows the right ones, thresholds still fit",
        detail: ["Fix by retraining the sales team, adjusting the threshold or repairing the CRM integration"],
        timebox: "15 min",
      },
    ],
  },
  {
    id: "api-latency-spike",
    title: "API latency spike",
    when: {
      categories: ["infrastructure"],
      metrics: ["latency_p99", "latency_p50"],
      keywords: ["latency", "slow", "timeout"],
    },
    items: [
      {
        key: "latency-trend",
        text: "Chart hourly p99 latency over the last 6 hours to see when it started",
      },
      {
        key: "possible-causes",
        text: "Rule out the usual causes: batch size, model complexity, cluster load, network",
        detail: [
          "Batch size: has it grown?",
          "Model complexity: did retraining add features?",
          "Infrastructure load: how busy is the serving cluster?",
          "Network: is the CRM-to-serving connection slow?",
        ],
      },
      { key: "per-item-time", text: "Compare processing time per item (latency divided by batch size)" },
      { key: "scale-up", text: "Scale up the serving cluster if CPU is high" },
      { key: "optimise-features", text: "Optimise the feature engineering code" },
      { key: "cache-lookups", text: "Cache frequent feature lookups" },
    ],
  },
  {
    // The guide's drift steps (its step 3 and 4) for one feature: several drifting features is the next runbook.
    id: "feature-drift",
    title: "Data drift in one feature",
    when: {
      categories: ["model", "data"],
      metrics: ["psi", "ks", "js"],
      keywords: ["drift"],
      driftingFeatures: "one",
    },
    items: [
      { key: "confirm-drift", text: "Confirm the drift: the feature's KS / PSI against its threshold, over more than one window" },
      { key: "importance", text: "Check the feature's importance: is it one the model leans on?" },
      {
        key: "data-quality",
        text: "Check the feature's data source: more missing values, new categories, numeric outliers; fix at the source",
      },
      { key: "expected", text: "Check whether the drift is expected: a new lead source or a market change?" },
      {
        key: "watch-others",
        text: "Watch the other features: drift in more than 2 features triggers emergency retraining",
      },
      { key: "document-cause", text: "Document the root cause for next time" },
    ],
  },
  {
    id: "multi-feature-drift",
    title: "Data drift in multiple features",
    when: {
      categories: ["model", "data"],
      metrics: ["psi", "ks", "js"],
      keywords: ["drift"],
      driftingFeatures: "several",
    },
    items: [
      { key: "alert-ml-team", text: "Alert the ML team in Slack right away" },
      { key: "expected", text: "Check whether the drift is expected: a new lead source or a market change?" },
      { key: "emergency-retrain", text: "If it is unexpected, trigger emergency retraining" },
      { key: "monitor-after", text: "Watch model performance after retraining" },
      { key: "document-cause", text: "Document the root cause for next time" },
    ],
  },
];

export interface RunbookQuery {
  category?: FailureCategory | null;
  metricName?: string | null;
  alertTitle?: string | null;
  /** How many distinct features the incident's drift alerts name (0 or unset: not known, the title is read instead). */
  driftingFeatures?: number | null;
}

/** One feature or several: the count when the alerts name features, else what the title says ("drift in 4 features"). */
function driftBreadth(query: RunbookQuery, title: string): "one" | "several" {
  if (query.driftingFeatures && query.driftingFeatures > 0) return query.driftingFeatures > 1 ? "several" : "one";
  const counted = /\b(\d+) features\b/.exec(title);
  if (counted) return Number(counted[1]) > 1 ? "several" : "one";
  return /\b(multiple|several|many) features\b|\bfeatures drift/.test(title) ? "several" : "one";
}

/**
 * Runbooks for an incident or alert. A metric name or a title phrase is specific and wins; the failure class
 * is only a fallback when neither matched, so a latency alert on a model incident gets the latency runbook.
 */
export function selectRunbooks(query: RunbookQuery): Runbook[] {
  const metric = query.metricName?.trim().toLowerCase();
  const title = query.alertTitle?.toLowerCase() ?? "";
  const breadth = driftBreadth(query, title);
  const fits = (r: Runbook) => !r.when.driftingFeatures || r.when.driftingFeatures === breadth;
  const specific = runbooks.filter(
    (r) =>
      fits(r) &&
      ((metric !== undefined && metric !== "" && r.when.metrics?.includes(metric)) ||
        (title !== "" && r.when.keywords?.some((k) => title.includes(k)))),
  );
  if (specific.length > 0) return specific;
  const category = query.category;
  return category ? runbooks.filter((r) => fits(r) && r.when.categories?.includes(category)) : [];
}

export function getRunbook(id: string): Runbook | undefined {
  return runbooks.find((r) => r.id === id);
}
