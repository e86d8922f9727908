import type { GateTemplateInput } from "../template-schema.js";

const SEED = "Production ML Checklist";

export const modelCard: GateTemplateInput = {
  id: "model-card",
  title: "Model card",
  description: "Every production model carries a model card with at least these fields, stored beside the artifact.",
  source: `${SEED} › Model Card Template`,
  sections: [
    {
      title: "Identity",
      items: [
        { key: "model-name", text: "Model name — human-readable identifier" },
        { key: "version", text: "Version — semantic version such as 2.1.0" },
        { key: "date", text: "Date — when training completed" },
        { key: "owner", text: "Owner — the team or person responsible" },
      ],
    },
    {
      title: "Use",
      items: [
        { key: "intended-use", text: "Intended use — what the model is designed for and who uses it" },
        { key: "out-of-scope-use", text: "Out-of-scope use — what the model must NOT be used for" },
      ],
    },
    {
      title: "Data and performance",
      items: [
        { key: "training-data", text: "Training data — description, version, size and date range" },
        { key: "evaluation-data", text: "Evaluation data — description, version, size and date range" },
        { key: "metrics", text: "Metrics — primary and secondary metrics on the evaluation data" },
        { key: "subgroup-performance", text: "Subgroup performance — metrics broken down by relevant subgroups" },
      ],
    },
    {
      title: "Risks and upkeep",
      items: [
        { key: "ethical-considerations", text: "Ethical considerations — known biases, limitations and risks" },
        { key: "caveats", text: "Caveats and recommendations — conditions under which performance degrades" },
        { key: "maintenance-plan", text: "Maintenance plan — retraining schedule and monitoring owner" },
      ],
    },
  ],
};

export const preDeployment: GateTemplateInput = {
  id: "pre-deployment",
  title: "Pre-deployment",
  description:
    "Bridges “works on my laptop” and “works in production”: artifact, performance, robustness, rollback, logging.",
  source: `${SEED} › Pre-Deployment Checklist`,
  sections: [
    {
      title: "Artifact",
      items: [
        {
          key: "portable-artifact",
          text: "Model serialised in a portable format, reloaded in a clean environment with matching predictions",
          detail: [
            "Format suits the serving stack (ONNX, TorchScript, SavedModel, pickle)",
            "Metadata holds model version, training date and dataset version",
            "Artifact stored in a model registry (MLflow, W&B, SageMaker or similar)",
          ],
        },
      ],
    },
    {
      title: "Performance",
      items: [
        {
          key: "latency-tested",
          text: "p50, p95 and p99 latency measured with realistic inputs and meeting the documented SLA",
          detail: ["Batch versus real-time inference decision documented"],
        },
        {
          key: "memory-measured",
          text: "Disk size and peak inference memory measured; memory stable over thousands of requests; fits the container",
        },
        {
          key: "load-tested",
          text: "Load tested: expected QPS for 10+ minutes, spikes at 3–5× QPS, degradation curve known",
          detail: ["Auto-scaling exercised where it is used"],
        },
      ],
    },
    {
      title: "Robustness",
      items: [
        {
          key: "edge-cases",
          text: "Endpoint tested with empty, null, huge, out-of-range, malformed and concurrent requests",
          detail: ["Every edge case returns a proper error code, never a crash"],
        },
      ],
    },
    {
      title: "Operations",
      items: [
        {
          key: "rollback-plan",
          text: "Rollback plan tested: previous version ready, under 5 minutes, config change or model swap only",
          detail: ["Rehearsed at least once, not just written down", "No code deployment needed to roll back"],
        },
        {
          key: "logging",
          text: "Every prediction logged with inputs, output, model version, timestamp and latency; errors with stack traces",
          detail: [
            "Log volume estimated and storage planned",
            "Sampling strategy defined if full logging is too costly",
          ],
        },
        {
          key: "ab-framework",
          text: "A/B framework ready: traffic splitting in place and metrics flowing to the experiment platform",
        },
      ],
    },
  ],
};

export const monitoring: GateTemplateInput = {
  id: "monitoring",
  title: "Monitoring",
  description: "Drift, predictions, features, performance, latency and errors are watched, alerted on and escalated.",
  source: `${SEED} › Monitoring Checklist and Alert Thresholds Guide`,
  sections: [
    {
      title: "Drift",
      items: [
        {
          key: "data-drift",
          text: "Data drift computed per feature against a stored training reference (PSI, KS, chi-squared, JS)",
          detail: ["PSI: warn above 0.1, critical above 0.25", "KS and JS: warn above 0.05, critical above 0.1"],
        },
        {
          key: "prediction-drift",
          text: "Prediction distribution tracked; sudden shifts in mean or variance alert, even before labels arrive",
          detail: [
            "Mean shift: warn beyond 2 std, critical beyond 3 std",
            "Variance: warn at +50 %, critical at +100 %",
          ],
        },
        {
          key: "feature-distributions",
          text: "Per-feature summary statistics, new categories and feature correlations tracked",
          detail: ["Null rate: warn at 2× baseline, critical at 5×", "New categories: critical above 5 % of traffic"],
        },
      ],
    },
    {
      title: "Service health",
      items: [
        {
          key: "performance-tracking",
          text: "Primary metric tracked on a rolling basis (or proxies when labels lag), per subgroup as well",
          detail: ["Relative drop: warn above 5 %, critical (roll back) above 10 %"],
        },
        {
          key: "latency-throughput",
          text: "p50/p95/p99 latency per endpoint, requests per second and async queue depth tracked",
          detail: ["p99: warn at 2× baseline, critical at 5×", "Queue depth: warn above 100, critical above 1000"],
        },
        {
          key: "error-rates",
          text: "5xx rate, model errors (invalid input, NaN predictions) and upstream failures tracked",
          detail: ["5xx: warn above 1 %, page on-call above 5 %"],
        },
      ],
    },
    {
      title: "Response",
      items: [
        {
          key: "alert-thresholds",
          text: "Alert thresholds set from the guide; every alert has a response procedure and is fire-drilled",
        },
        {
          key: "escalation",
          text: "On-call rotation, escalation path (on-call → team lead → eng manager) and channels documented",
        },
      ],
    },
  ],
};

export const documentation: GateTemplateInput = {
  id: "documentation",
  title: "Documentation",
  description: "What must exist so that someone other than the author can run, change and repair the system.",
  source: `${SEED} › Documentation Checklist`,
  sections: [
    {
      title: "For developers",
      items: [
        {
          key: "readme",
          text: "README covers setup, training, local inference and tests, verified on a clean machine by someone else",
        },
        {
          key: "architecture-diagram",
          text: "Architecture diagram shows data flow, external dependencies and where data, models and logs live",
          detail: ["Kept current: a stale diagram is worse than none"],
        },
        {
          key: "api-docs",
          text: "API documented from code (OpenAPI): examples, error codes, rate limits, auth and versioning policy",
        },
      ],
    },
    {
      title: "For operators",
      items: [
        {
          key: "runbook",
          text: "Runbook: deploy, roll back, investigate common alerts, retrain manually, find logs, reach on-call",
        },
        {
          key: "model-card",
          text: "Model card stored with the artifact in the registry and updated with every version",
        },
      ],
    },
    {
      title: "Data and history",
      items: [
        {
          key: "data-dictionary",
          text: "Data dictionary: every feature and label with type, source, meaning and known issues",
        },
        {
          key: "change-log",
          text: "Change log for model, pipeline and infrastructure changes: date, version, author, what and why",
        },
      ],
    },
  ],
};
