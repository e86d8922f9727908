import type { NormalizedAlert } from "./normalize.js";

export type MatchableAlert = Pick<
  NormalizedAlert,
  "labels" | "service" | "model" | "feature" | "source" | "severity" | "status" | "category"
> & { sourceName?: string | null };

/** An alert's labels plus its service/model/feature/source/severity/status/category as pseudo-labels. */
export function labelView(alert: MatchableAlert): Record<string, string> {
  const view: Record<string, string> = { ...alert.labels };
  const pseudo: Record<string, string | null | undefined> = {
    service: alert.service,
    model: alert.model,
    feature: alert.feature,
    source: alert.source,
    severity: alert.severity,
    status: alert.status,
    category: alert.category,
  };
  // The normalized fields win: `service` may come from `job`, `model` from `model_name`.
  for (const [key, value] of Object.entries(pseudo)) if (value) view[key] = value;
  return view;
}
