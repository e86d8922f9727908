import type { Prisma } from "../db.js";
import { sliceUnits } from "../text/well-formed.js";

export type AlertRow = Prisma.AlertGetPayload<object>;

/** What the alert messages show (blocks/alerts.ts renders it); built here from an Alert row. */
export interface AlertView {
  id: number;
  source: string;
  /** the sender's own name (a generic alert's `source`, e.g. drift-monitor) */
  sourceName?: string | null;
  title: string;
  status: string;
  severity: string;
  description: string | null;
  labels: Record<string, string>;
  links: { text: string; url: string }[];
  service: string | null;
  model: string | null;
  metricName: string | null;
  metricValue: number | null;
  /** why the metric gave this severity, e.g. "PSI 0.31 > 0.25 (critical)" */
  severityReason?: string | null;
  count?: number;
  silenceId?: number | null;
  declinedAt?: Date | null;
  lastSeenAt?: Date;
}

/** What to call an alert's sender: a generic alert's own `source` (drift-monitor), else the route (alertmanager, …). */
export const senderName = (a: { source: string; sourceName?: string | null }) =>
  a.source === "generic" && a.sourceName ? a.sourceName : a.source;

/** The alert keys an incident owns while open: the fingerprint / dedup key and the sender's group key. */
export function alertKeysOf(a: { source: string; fingerprint: string; groupKey: string | null }): string[] {
  const keys = [`fp:${a.source}:${a.fingerprint}`];
  if (a.groupKey && a.groupKey !== a.fingerprint) keys.push(`group:${a.source}:${a.groupKey}`);
  return keys;
}

/** The key an incident opened by this alert is named after: the group when there is one. */
export const primaryAlertKey = (a: { source: string; fingerprint: string; groupKey: string | null }) => alertKeysOf(a).at(-1)!;

export function toAlertView(row: AlertRow, severityReason: string | null = null): AlertView {
  return {
    id: row.id,
    source: row.source,
    sourceName: row.sourceName,
    title: row.title,
    status: row.status,
    severity: row.severity,
    description: row.description,
    labels: (row.labels ?? {}) as Record<string, string>,
    links: (row.links ?? []) as AlertView["links"],
    service: row.service,
    model: row.model,
    metricName: row.metricName,
    metricValue: row.metricValue,
    severityReason,
    count: row.count,
    silenceId: row.silenceId,
    declinedAt: row.declinedAt,
    lastSeenAt: row.lastSeenAt,
  };
}

/** As many labels as the alert messages show. */
const CONTEXT_LABELS = 20;

/** Plain-text context for the incident summary and the first timeline entry (data, not a Slack message). */
export function alertContextText(a: AlertView): string {
  const parts = [`${a.source} alert: ${a.title}`];
  if (a.metricName) parts.push(`metric ${a.metricName} = ${a.metricValue ?? "?"}${a.severityReason ? ` (${a.severityReason})` : ""}`);
  if (a.service || a.model) parts.push([a.service && `service ${a.service}`, a.model && `model ${a.model}`].filter(Boolean).join(", "));
  if (a.description) parts.push(a.description);
  const labels = Object.entries(a.labels)
    .slice(0, CONTEXT_LABELS)
    .map(([k, v]) => `${k}=${v}`);
  if (labels.length) parts.push(`labels: ${labels.join(", ")}`);
  if (a.links.length) parts.push(`links: ${a.links.map((l) => l.url).join(" ")}`);
  const text = parts.join("\n");
  return text.length <= 2000 ? text : `${sliceUnits(text, 1999)}…`; // like blocks/text.ts truncate()
}
