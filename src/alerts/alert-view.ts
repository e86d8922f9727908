import type { Prisma } from "../db.js";

export type AlertRow = Prisma.AlertGetPayload<object>;

/** What the alert messages show (blocks/alerts.ts renders it); built here from an Alert row. */
export interface AlertView {
  id: number;
  source: string;
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
