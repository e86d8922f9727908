import type { GateTemplateInput } from "../template-schema.js";

const SEED = "Lead Scoring MLOps deployment checklist";

export const leadScoringPreDeployment: GateTemplateInput = {
  id: "lead-scoring-pre-deployment",
  title: "Lead scoring: pre-deployment (week 1)",
  description: "Platform, data, registry and monitoring in place before the staged rollout begins.",
  source: `${SEED} › Pre-Deployment (Week 1)`,
  sections: [
    {
      title: "Infrastructure setup",
      items: [
        { key: "workspace", text: "Databricks workspace provisioned" },
        { key: "mlflow-tracking", text: "MLflow tracking server configured" },
        { key: "monitoring-db", text: "PostgreSQL database for monitoring data available" },
        { key: "docker-registry", text: "Docker registry access for container serving" },
        { key: "slack-alerts", text: "Slack integration for alerts connected" },
      ],
    },
    {
      title: "Data preparation",
      items: [
        { key: "training-snapshot", text: "Training data snapshot versioned (Delta Lake)" },
        { key: "feature-code-in-git", text: "Feature engineering code in Git" },
        { key: "validation-rules", text: "Data validation rules implemented (Great Expectations)" },
        { key: "baseline-metrics", text: "Baseline metrics calculated from the training data" },
      ],
    },
    {
      title: "Model registry",
      items: [
        { key: "experiment-created", text: "MLflow tracking experiment created" },
        { key: "model-registered", text: "Model registered with version metadata" },
        { key: "config-in-git", text: "Hyperparameters and config stored in Git" },
        { key: "snapshot-hash", text: "Training data snapshot hash recorded" },
      ],
    },
    {
      title: "Monitoring setup",
      items: [
        { key: "sql-workspace", text: "Databricks SQL workspace created" },
        { key: "monitoring-tables", text: "Monitoring table schemas defined" },
        { key: "drift-functions", text: "Drift detection functions implemented" },
        { key: "alert-channels", text: "Alert notification channels configured" },
      ],
    },
  ],
};

export const shadow: GateTemplateInput = {
  id: "shadow",
  title: "Stage 1: shadow deployment",
  description:
    "The new model scores real traffic without affecting anyone; predictions go to a shadow table. Weeks 1–2.",
  source: `${SEED} › Stage 1: Shadow Deployment`,
  stage: { order: 1 },
  sections: [
    {
      title: "Deployment",
      items: [
        { key: "rest-api", text: "Model deployed as a REST API (model serving)" },
        { key: "shadow-job", text: "Daily shadow prediction job scheduled" },
        { key: "shadow-table", text: "Predictions written to a separate shadow table, never shown to users" },
        { key: "prediction-logging", text: "Every prediction logged with timestamp and latency" },
      ],
    },
    {
      title: "System health",
      items: [
        {
          key: "p99-latency",
          text: "API latency p99 under 200 ms",
          criterion: { metric: "latency_p99", name: "p99", op: "<", value: 200, unit: "ms", label: "p99 < 200 ms" },
        },
        {
          key: "throughput",
          text: "Throughput above 1000 requests per second",
          criterion: {
            metric: "throughput",
            name: "throughput",
            op: ">",
            value: 1000,
            unit: "req/s",
            label: "throughput > 1000 req/s",
          },
        },
        {
          key: "error-rate",
          text: "Error rate under 0.1 % (enter percent)",
          criterion: {
            metric: "error_rate",
            name: "error rate",
            op: "<",
            value: 0.1,
            unit: "%",
            label: "error rate < 0.1%",
          },
        },
        {
          key: "memory",
          text: "Memory under 2 GB per instance",
          criterion: {
            metric: "memory_per_instance",
            name: "memory",
            op: "<",
            value: 2,
            unit: "GB",
            label: "memory < 2 GB per instance",
          },
        },
      ],
    },
    {
      title: "Prediction quality (against last week's actual outcomes)",
      items: [
        {
          key: "auc",
          text: "AUC at least 0.85",
          criterion: { metric: "auc", name: "AUC", op: ">=", value: 0.85, unit: "score", label: "AUC ≥ 0.85" },
        },
        {
          key: "precision",
          text: "Precision at the 0.5 threshold at least 0.80 (enter a fraction)",
          criterion: {
            metric: "precision_at_0_5",
            name: "precision @0.5",
            op: ">=",
            value: 0.8,
            unit: "ratio",
            label: "precision @0.5 ≥ 0.80",
          },
        },
        {
          key: "recall",
          text: "Recall at least 0.80 (enter a fraction)",
          criterion: { metric: "recall", name: "recall", op: ">=", value: 0.8, unit: "ratio", label: "recall ≥ 0.80" },
        },
        {
          key: "calibration",
          text: "Calibration error under 0.05",
          criterion: {
            metric: "calibration_error",
            name: "calibration error",
            op: "<",
            value: 0.05,
            unit: "ratio",
            label: "calibration error < 0.05",
          },
        },
      ],
    },
    {
      title: "Data quality",
      items: [
        { key: "feature-distributions", text: "Feature distributions look normal against the training baseline" },
        {
          key: "missing-values",
          text: "Missing values under 1 % (enter percent)",
          criterion: {
            metric: "missing_values",
            name: "missing values",
            op: "<",
            value: 1,
            unit: "%",
            label: "missing values < 1%",
          },
        },
        { key: "no-new-categories", text: "No unexpected categories in categorical features" },
      ],
    },
    {
      title: "Success criteria",
      items: [
        { key: "two-weeks-logged", text: "Two weeks of shadow predictions logged" },
        {
          key: "no-critical-issues",
          text: "No critical issues detected",
          detail: [
            "If issues appear: debug and fix, retrain if needed, and extend the shadow phase by a week",
            "Escalate to leadership if model quality is poor",
          ],
        },
        { key: "ml-signoff", text: "ML team signed off on the metrics" },
      ],
    },
  ],
};

export const canary: GateTemplateInput = {
  id: "canary",
  title: "Stage 2: canary release (10 %)",
  description: "One lead in ten is scored by the new model, assigned by hash, and watched daily for a week. Week 3.",
  source: `${SEED} › Stage 2: Canary Release`,
  stage: { order: 2, requires: "shadow" },
  sections: [
    {
      title: "Deployment",
      items: [
        { key: "traffic-split", text: "Traffic split configured: 90 % old model, 10 % new model" },
        { key: "hash-randomisation", text: "Assignment is reproducible: hash-based on lead_id" },
        { key: "variant-logging", text: "Predictions of both models logged with their variant label" },
      ],
    },
    {
      title: "Daily monitoring",
      items: [
        { key: "performance-stable", text: "AUC, precision and recall stable on the canary population" },
        {
          key: "p99-latency",
          text: "Latency not increasing: p99 still under 200 ms",
          criterion: { metric: "latency_p99", name: "p99", op: "<", value: 200, unit: "ms", label: "p99 < 200 ms" },
        },
        { key: "data-drift", text: "No unexpected feature drift" },
        { key: "business-feedback", text: "Sales team asked whether anything looks odd" },
      ],
    },
    {
      title: "Success criteria",
      items: [
        {
          key: "no-degradation",
          text: "No metric degrades by more than 10 % (enter the worst relative drop, in percent)",
          criterion: {
            metric: "worst_metric_degradation",
            name: "worst degradation",
            op: "<=",
            value: 10,
            unit: "%",
            label: "worst metric degradation ≤ 10%",
          },
        },
        {
          key: "error-rate",
          text: "Error rate stays under 0.1 % (enter percent)",
          criterion: {
            metric: "error_rate",
            name: "error rate",
            op: "<",
            value: 0.1,
            unit: "%",
            label: "error rate < 0.1%",
          },
        },
        { key: "sales-no-issues", text: "Sales team reports no issues" },
        {
          key: "one-week-collected",
          text: "One week of canary data collected",
          detail: [
            "If issues appear: roll back to 100 % old model at once, find the root cause, fix and retrain",
            "Then start again from the shadow stage",
          ],
        },
      ],
    },
  ],
};

export const abTest: GateTemplateInput = {
  id: "ab-test",
  title: "Stage 3: A/B test (50/50)",
  description: "Measures business impact with a 50/50 hash-based split over 2–4 weeks. Weeks 4–6.",
  source: `${SEED} › Stage 3: A/B Test`,
  stage: { order: 3, requires: "canary" },
  sections: [
    {
      title: "Deployment",
      items: [
        { key: "traffic-split", text: "50/50 traffic split configured (random, hash-based)" },
        { key: "variant-labels", text: "Every prediction labelled with its variant: A = old model, B = new model" },
        { key: "outcome-logging", text: "Predictions and outcomes logged for 2–4 weeks" },
      ],
    },
    {
      title: "Success metrics",
      items: [
        {
          key: "conversion-lift",
          text: "Conversion rate lift of at least 5 % (relative, enter percent)",
          criterion: {
            metric: "conversion_lift",
            name: "conversion lift",
            op: ">=",
            value: 5,
            unit: "%",
            label: "conversion lift ≥ 5%",
          },
        },
        {
          key: "significance",
          text: "Lift statistically significant: p < 0.05",
          detail: [
            "Inconclusive: extend by a week, grow the sample, review segment results",
            "No lift or a decline: stop now, roll back, hold a post-mortem, check feature sources and data quality",
          ],
          criterion: { metric: "p_value", name: "p", op: "<", value: 0.05, label: "p < 0.05" },
        },
        {
          key: "deal-size",
          text: "Average deal size does not decline (enter the relative change in percent)",
          criterion: {
            metric: "deal_size_change",
            name: "deal size change",
            op: ">=",
            value: 0,
            unit: "%",
            label: "deal size change ≥ 0%",
          },
        },
        {
          key: "cycle-time",
          text: "Sales cycle time does not increase (enter the relative change in percent)",
          criterion: {
            metric: "cycle_time_change",
            name: "cycle time change",
            op: "<=",
            value: 0,
            unit: "%",
            label: "cycle time change ≤ 0%",
          },
        },
        {
          key: "sales-satisfaction",
          text: "Sales satisfaction at least 8 out of 10",
          criterion: {
            metric: "sales_satisfaction",
            name: "sales satisfaction",
            op: ">=",
            value: 8,
            unit: "score",
            label: "sales satisfaction ≥ 8/10",
          },
        },
        {
          key: "model-accuracy",
          text: "Model accuracy at least 0.87 AUC",
          criterion: { metric: "auc", name: "AUC", op: ">=", value: 0.87, unit: "score", label: "AUC ≥ 0.87" },
        },
      ],
    },
    {
      title: "Analysis",
      items: [
        {
          key: "sample-size",
          text: "At least 5,000 leads per variant",
          criterion: {
            metric: "leads_per_variant",
            name: "leads per variant",
            op: ">=",
            value: 5000,
            unit: "count",
            label: "leads per variant ≥ 5,000",
          },
        },
        { key: "significance-test", text: "Significance tested with a chi-square or two-proportion z test" },
        { key: "confidence-intervals", text: "95 % confidence intervals calculated for the lift" },
        { key: "segments", text: "Results segmented by lead source, industry and region" },
        { key: "negative-subgroups", text: "No subgroup harmed by the new model" },
      ],
    },
  ],
};

export const fullRollout: GateTemplateInput = {
  id: "full-rollout",
  title: "Stage 4: full rollout",
  description: "Every lead is scored by the new model; monitoring baseline and automated alerts are live. Week 7 on.",
  source: `${SEED} › Stage 4: Full Rollout`,
  stage: { order: 4, requires: "ab-test" },
  sections: [
    {
      title: "Deployment",
      items: [
        { key: "full-routing", text: "API routing sends 100 % of traffic to the new model" },
        { key: "archive-old-logs", text: "Old model logs archived, not deleted" },
        { key: "crm-updated", text: "CRM and dashboards show the new scores" },
      ],
    },
    {
      title: "Monitoring baseline",
      items: [
        {
          key: "daily-checks",
          text: "Daily standup checks in place: dashboard red flags, overnight errors, predictions landing in tables",
        },
        {
          key: "weekly-review",
          text: "Weekly review scheduled: data and prediction drift, performance, business metrics, API health",
        },
        {
          key: "monthly-deep-dive",
          text: "Monthly deep-dive scheduled: calibration, feature importance, segments, human scoring, retraining",
        },
      ],
    },
    {
      title: "Automated alerts active",
      items: [
        { key: "alert-auc", text: "Alert when AUC drops below 0.85" },
        { key: "alert-ks", text: "Alert when the KS statistic exceeds 0.15 for any feature" },
        { key: "alert-latency", text: "Alert when p99 latency exceeds 200 ms" },
        { key: "alert-error-rate", text: "Alert when the error rate exceeds 0.5 %" },
        { key: "alert-coverage", text: "Alert when coverage (leads scored) falls below 95 %" },
      ],
    },
  ],
};

export const cicd: GateTemplateInput = {
  id: "cicd",
  title: "CI/CD pipeline",
  description: "Checks every change passes on its way from commit to full rollout.",
  source: `${SEED} › CI/CD Pipeline Checklist`,
  sections: [
    {
      title: "Pre-commit",
      items: [
        { key: "lint", text: "Code linting passes" },
        { key: "type-check", text: "Type checking passes" },
        { key: "unit-tests", text: "Unit tests pass" },
      ],
    },
    {
      title: "Pre-training",
      items: [
        { key: "data-validation", text: "Data validation passes (Great Expectations)" },
        { key: "feature-determinism", text: "Feature engineering determinism checked" },
        { key: "config-matches-git", text: "Training config matches the Git version" },
      ],
    },
    {
      title: "Post-training",
      items: [
        { key: "metrics-logged", text: "Model metrics logged to MLflow" },
        { key: "baseline-comparison", text: "Compared with the baseline model" },
        { key: "pushed-to-registry", text: "Model pushed to the registry" },
      ],
    },
    {
      title: "Pre-deployment",
      items: [
        { key: "metrics-reviewed", text: "Metrics reviewed by a person" },
        { key: "ml-lead-approval", text: "ML lead approved" },
        { key: "staging-slot", text: "Staging slot assigned" },
      ],
    },
    {
      title: "Post-deployment",
      items: [
        { key: "shadow-validated", text: "Shadow deployment validated (1 week)" },
        { key: "canary-released", text: "Canary release done (10 % traffic, 1 week)" },
        { key: "ab-tested", text: "A/B test done (50/50 split, 2–4 weeks)" },
        { key: "rollout-decision", text: "Full rollout decision taken" },
      ],
    },
  ],
};
