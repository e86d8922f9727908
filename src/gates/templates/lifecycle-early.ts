import type { GateTemplateInput } from "../template-schema.js";

const SEED = "Production ML Checklist";

export const preDevelopment: GateTemplateInput = {
  id: "pre-development",
  title: "Pre-development",
  description:
    "Foundations to settle before any model code is written: the problem, a baseline, the data, ethics and budget.",
  source: `${SEED} › Pre-Development Checklist`,
  sections: [
    {
      title: "Problem and baseline",
      items: [
        {
          key: "problem-defined",
          text: "Problem stated in one sentence, with a primary metric, a guardrail metric and a minimum acceptable threshold",
          detail: [
            "Primary metric chosen (for example precision@k, RMSE or AUC-ROC)",
            "At least one guardrail metric that must not get worse",
            "Minimum acceptable performance written down",
          ],
        },
        {
          key: "baseline-established",
          text: "Heuristic and simple-model baselines built, measured and documented as the floor to beat",
          detail: [
            "Rule-based baseline (most frequent class, moving average, …)",
            "Simple model baseline (logistic regression, gradient-boosted trees)",
            "Baseline metrics recorded where future team members will find them",
          ],
        },
      ],
    },
    {
      title: "Data and ethics",
      items: [
        {
          key: "data-assessed",
          text: "Data sources inventoried; volume, label quality, freshness needs and collection biases assessed",
          detail: [
            "Internal databases, third-party APIs and public datasets listed",
            "Enough volume for the chosen approach",
            "Who labelled the data and how well labellers agreed",
            "Freshness requirement: real-time, daily or weekly",
          ],
        },
        {
          key: "ethical-review",
          text: "Ethical review done: protected attributes, disparate impact, privacy, intended use and misuse",
          detail: [
            "Protected attributes identified (race, gender, age, location)",
            "Risk of memorising personal data reviewed",
            "Legal or compliance consulted in regulated domains",
          ],
        },
      ],
    },
    {
      title: "Stakeholders and budget",
      items: [
        {
          key: "stakeholders-aligned",
          text: "Stakeholders agree on “good enough”, how the output is consumed and how uncertain the timeline is",
          detail: [
            "Baseline results shown before promising ML gains",
            "Consumption mode agreed: API, batch or embedded",
          ],
        },
        {
          key: "budget-estimated",
          text: "Training and inference compute, storage and timeline estimated, with buffer for data problems",
          detail: [
            "GPU hours and cloud cost for training",
            "Requests per second and latency needs for inference",
            "Long-lead items such as data-access approvals and provisioning identified",
          ],
        },
      ],
    },
  ],
};

export const dataPipeline: GateTemplateInput = {
  id: "data-pipeline",
  title: "Data pipeline",
  description:
    "The pipeline feeding the model is documented, validated, reproducible, versioned and handles sensitive data.",
  source: `${SEED} › Data Pipeline Checklist`,
  sections: [
    {
      title: "Schema and validation",
      items: [
        {
          key: "schema-versioned",
          text: "Schema documented (name, type, description, range per field) and versioned; breaking changes fail loudly",
        },
        {
          key: "validation-rules",
          text: "Validation rules defined: null-rate limits, ranges, allowed categories, row counts, cross-column checks",
          detail: [
            "A sudden drop in row count flags an upstream problem",
            "Cross-column consistency, e.g. an end date never before its start date",
          ],
        },
        {
          key: "missing-values",
          text: "Missing-value strategy per feature (drop, impute or flag) justified; imputation fitted on training data only",
        },
      ],
    },
    {
      title: "Features and splits",
      items: [
        {
          key: "features-reproducible",
          text: "Feature engineering is code shared by training and serving, with no manual steps",
          detail: ["A feature store or shared library prevents training–serving skew"],
        },
        {
          key: "split-documented",
          text: "Train/test split strategy documented, leakage ruled out and the hold-out set locked",
          detail: ["Time series are split strictly by time", "The hold-out set is not touched during development"],
        },
      ],
    },
    {
      title: "Versioning and privacy",
      items: [
        {
          key: "data-versioned",
          text: "Training datasets versioned and immutable; every model artifact links to its exact dataset version",
          detail: ["Tool named: DVC, Delta Lake, LakeFS or cloud-native versioning"],
        },
        {
          key: "sensitive-data",
          text: "Personal data removed or encrypted, access restricted, retention enforced, pseudonymised where required",
        },
      ],
    },
  ],
};

export const modelDevelopment: GateTemplateInput = {
  id: "model-development",
  title: "Model development",
  description:
    "Systematic modelling: several families compared, tuned honestly, checked for overfitting, explained and fair.",
  source: `${SEED} › Model Development Checklist`,
  sections: [
    {
      title: "Selection and tuning",
      items: [
        {
          key: "model-families",
          text: "Two or three different model families compared on the same validation set and metric",
          detail: ["The choice is justified by latency, interpretability and maintenance, not accuracy alone"],
        },
        {
          key: "hyperparameter-tuning",
          text: "Hyperparameters tuned with k-fold (or time-series) CV, never on the test set; best values committed",
          detail: ["Search strategy documented: grid, random or Bayesian"],
        },
        {
          key: "overfitting-checked",
          text: "Train/validation gap small and stable, learning curves plotted, complexity justified by data size",
        },
      ],
    },
    {
      title: "Understanding the model",
      items: [
        {
          key: "feature-importance",
          text: "Feature importance (SHAP or permutation) reviewed for plausibility and leakage",
          detail: ["Near-zero features considered for removal", "Interactions of the top features examined"],
        },
        {
          key: "interpretability",
          text: "Global, local and edge-case explanations documented, with the tool used",
        },
        {
          key: "error-analysis",
          text: "Errors analysed by segment; worst subgroups and common failure modes named, with planned fixes",
        },
        {
          key: "fairness-metrics",
          text: "Metrics computed per protected group; disparate impact checked (80 % rule or parity); trade-offs justified",
        },
      ],
    },
    {
      title: "Documentation",
      items: [{ key: "model-card-created", text: "Model card written (see the model-card gate)" }],
    },
  ],
};
