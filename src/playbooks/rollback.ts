import { numberSections } from "../checklist/numbering.js";

/** The seed's failure classes; `null` means not yet classified. */
export const FAILURE_CATEGORIES = ["data", "model", "infrastructure", "integration"] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

export interface FailureClass {
  label: string;
  examples: string[];
  typicalCause: string;
  firstResponse: string;
}

/** The Model Failure Classification table. */
export const failureClassification: Record<FailureCategory, FailureClass> = {
  data: {
    label: "Data issue",
    examples: ["missing features", "schema change", "null spike"],
    typicalCause: "upstream pipeline failure",
    firstResponse: "check data sources, roll back the data pipeline",
  },
  model: {
    label: "Model degradation",
    examples: ["accuracy drop", "prediction drift"],
    typicalCause: "concept drift or data drift",
    firstResponse: "evaluate drift metrics, consider retraining",
  },
  infrastructure: {
    label: "Infrastructure",
    examples: ["high latency", "OOM errors", "service down"],
    typicalCause: "resource limits or a failed dependency",
    firstResponse: "scale up, restart, check dependencies",
  },
  integration: {
    label: "Integration",
    examples: ["wrong model version served", "stale cache"],
    typicalCause: "deployment error or config issue",
    firstResponse: "verify the deployment, clear caches",
  },
};

export const STEP_KEYS = ["DETECT", "ASSESS", "MITIGATE", "COMMUNICATE", "RESOLVE"] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export interface PlaybookItem {
  key: string;
  text: string;
  detail?: string[];
}

export interface PlaybookStep {
  key: StepKey;
  title: string;
  target?: string;
  items: PlaybookItem[];
}

export interface Playbook {
  category: FailureCategory | null;
  steps: PlaybookStep[];
}

/** Response targets in seconds, counted from detection (the status page: from becoming user-facing). */
export interface ClockTargets {
  ackSeconds: number;
  mitigateSeconds: number;
  productUpdateSeconds: number;
  statusPageSeconds: number;
  leadershipSummarySeconds: number;
}

/** From the Rollback Procedure (ack 5 min, mitigate 15 min) and the Communication Plan (30 min, 1 h, 24 h). */
export const DEFAULT_CLOCK_TARGETS: Readonly<ClockTargets> = Object.freeze({
  ackSeconds: 5 * 60,
  mitigateSeconds: 15 * 60,
  productUpdateSeconds: 30 * 60,
  statusPageSeconds: 60 * 60,
  leadershipSummarySeconds: 24 * 60 * 60,
});

/** `5 minutes`, `1 hour`, `24 hours`, `90 seconds`, `1 hour 30 minutes`. */
export function formatTargetDuration(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds % 60 !== 0) return unit(seconds, "second");
  const minutes = seconds / 60;
  if (minutes % 60 !== 0) {
    return minutes < 60 ? unit(minutes, "minute") : `${unit(Math.floor(minutes / 60), "hour")} ${unit(minutes % 60, "minute")}`;
  }
  return unit(minutes / 60, "hour");
}

/** What each class adds to ASSESS (a check) and MITIGATE (the actions), and the lasting fix in RESOLVE. */
const TAILORING: Record<FailureCategory, { assess: PlaybookItem; mitigate: PlaybookItem[]; resolve: PlaybookItem }> = {
  data: {
    assess: {
      key: "check-data-sources",
      text: "Check upstream data sources for missing features, schema changes or a null spike",
      detail: ["Typical cause: an upstream pipeline failure"],
    },
    mitigate: [
      { key: "fallback-data", text: "Switch to the fallback data source or cached features" },
      { key: "rollback-pipeline", text: "Roll back the data pipeline to its last good version" },
      {
        key: "inputs-restored",
        text: "Confirm inputs are healthy again: null rates and feature distributions back at baseline",
      },
    ],
    resolve: {
      key: "guard-data",
      text: "Add validation (schema, null-rate limits, row counts) so this failure stops the pipeline next time",
    },
  },
  model: {
    assess: {
      key: "check-drift",
      text: "Evaluate drift metrics (PSI, KS, JS) and the primary metric against baseline",
      detail: ["Typical cause: concept drift or data drift"],
    },
    mitigate: [
      {
        key: "rollback-model",
        text: "Roll back: move the model-registry pointer to the previous model version",
        detail: ["A config change, not a code deployment"],
      },
      { key: "verify-health", text: "Verify the /health endpoint reports the previous model version" },
    ],
    resolve: {
      key: "retrain",
      text: "Decide on retraining with recent data; the new model re-enters through the shadow stage",
    },
  },
  infrastructure: {
    assess: {
      key: "check-resources",
      text: "Check resource limits (CPU, memory, OOM kills) and the health of dependencies",
      detail: ["Typical cause: resource limits or a failed dependency"],
    },
    mitigate: [
      { key: "scale-up", text: "Scale up or out to relieve the resource limit" },
      { key: "restart", text: "Restart unhealthy instances" },
      { key: "fail-over", text: "Fail over to the backup if the service stays down" },
    ],
    resolve: {
      key: "right-size",
      text: "Right-size resource limits and autoscaling, and alert before the limit is reached",
    },
  },
  integration: {
    assess: {
      key: "check-deployment",
      text: "Compare the served model version and config with what the registry says should run",
      detail: ["Typical cause: a deployment error or config issue"],
    },
    mitigate: [
      { key: "verify-deployment", text: "Verify the deployment: the served model version matches the intended one" },
      { key: "clear-caches", text: "Clear stale caches" },
      { key: "redeploy-intended", text: "Redeploy the intended model version and config if they differ" },
    ],
    resolve: {
      key: "deploy-check",
      text: "Add a post-deployment check that the served version matches the registry",
    },
  },
};

/** Before classification, MITIGATE lists the first response of every class. */
const UNCLASSIFIED_MITIGATE: PlaybookItem[] = [
  {
    key: "if-model",
    text: "Model issue: move the model-registry pointer to the previous version; check /health reports it",
  },
  {
    key: "if-data",
    text: "Data issue: switch to the fallback data source or cached features, or roll back the pipeline",
  },
  { key: "if-infrastructure", text: "Infrastructure issue: scale up, restart, or fail over to the backup" },
  { key: "if-integration", text: "Integration issue: verify the deployed and served model version, clear caches" },
];

/**
 * The rollback playbook (DETECT → ASSESS → MITIGATE → COMMUNICATE → RESOLVE), tailored to the failure class.
 * Item keys are stable per category so progress can be stored against them. At most 25 items (one Slack message).
 */
export function buildPlaybook(category: FailureCategory | null, options: { targets?: Partial<ClockTargets> } = {}): Playbook {
  const t = { ...DEFAULT_CLOCK_TARGETS, ...options.targets };
  const ack = formatTargetDuration(t.ackSeconds);
  const mitigate = formatTargetDuration(t.mitigateSeconds);
  const product = formatTargetDuration(t.productUpdateSeconds);
  const statusPage = formatTargetDuration(t.statusPageSeconds);
  const leadership = formatTargetDuration(t.leadershipSummarySeconds);
  const tailoring = category ? TAILORING[category] : null;

  const classify: PlaybookItem = category
    ? {
        key: "classify",
        text: `Confirm the classification: ${failureClassification[category].label.toLowerCase()} (or reclassify)`,
        detail: [`Examples: ${failureClassification[category].examples.join(", ")}`],
      }
    : {
        key: "classify",
        text: "Classify the failure: data, model, infrastructure or integration",
        detail: FAILURE_CATEGORIES.map((c) => {
          const f = failureClassification[c];
          return `${f.label}: ${f.examples.join(", ")}`;
        }),
      };

  return {
    category,
    steps: [
      {
        key: "DETECT",
        title: "Detect",
        target: `Acknowledge within ${ack}`,
        items: [
          { key: "record-detection", text: "Record how it was detected: an automated alert or a user report" },
          { key: "acknowledge", text: `On-call acknowledges within ${ack}` },
        ],
      },
      {
        key: "ASSESS",
        title: "Assess",
        items: [
          {
            key: "check-dashboards",
            text: "Check monitoring dashboards: latency, error rate, prediction distribution",
          },
          { key: "recent-changes", text: "Check recent deployments and config changes" },
          classify,
          ...(tailoring ? [tailoring.assess] : []),
          { key: "user-impact", text: "Estimate user impact: how many users are affected and how badly" },
        ],
      },
      {
        key: "MITIGATE",
        title: "Mitigate",
        target: `Mitigate within ${mitigate} of detection`,
        items: [
          ...(tailoring ? tailoring.mitigate : UNCLASSIFIED_MITIGATE),
          { key: "confirm-mitigated", text: "Confirm the symptoms are back within thresholds, then mark it mitigated" },
        ],
      },
      {
        key: "COMMUNICATE",
        title: "Communicate",
        target: `Product/business within ${product}; status page within ${statusPage} if user-facing; leadership within ${leadership}`,
        items: [
          { key: "channel-post", text: "Post in the incident channel: what happened, what was done, current status" },
          {
            key: "notify-product",
            text: `Notify product and business stakeholders within ${product}: impact summary and ETA`,
          },
          {
            key: "status-page",
            text: `If users are affected, update the status page within ${statusPage} in plain language`,
            detail: ["Include workarounds where there are any"],
          },
          {
            key: "leadership-summary",
            text: `Send leadership a summary within ${leadership}: impact, root cause, action items`,
          },
        ],
      },
      {
        key: "RESOLVE",
        title: "Resolve",
        items: [
          { key: "root-cause", text: "Find the root cause (this may take hours or days)" },
          {
            key: "fix-normal-process",
            text: "Fix the underlying issue and deploy it through the normal process, not as a hotfix",
          },
          ...(tailoring ? [tailoring.resolve] : []),
          { key: "verify-fix", text: "Verify the fix with monitoring" },
          { key: "schedule-review", text: "Schedule the post-incident review (due within 5 business days)" },
        ],
      },
    ],
  };
}

export type NumberedPlaybookItem = PlaybookItem & { number: string; stepKey: StepKey; stepTitle: string };

/** Every item with its `<step>.<n>` number (`1.1` … `5.5`), in display order. */
export function numberPlaybook(playbook: Playbook): NumberedPlaybookItem[] {
  return numberSections(playbook.steps, (step) => ({ stepKey: step.key, stepTitle: step.title }));
}
