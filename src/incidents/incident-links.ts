import type { AppContext } from "../context.js";
import { directQuery } from "../db/direct-sql.js";
import { publicIncidentUrl } from "../status/publish-status-update.js";
import { webPageUrl } from "../web/links.js";

// The first 50 alerts' links and annotations (oldest first), whether a status update was published, the review's link.
const LINK_SOURCES = `SELECT
    (SELECT json_agg(json_build_object('links', a."links", 'annotations', a."annotations") ORDER BY a."id")::text
       FROM (SELECT "id", "links", "annotations" FROM "Alert" WHERE "incidentId" = $1::int ORDER BY "id" LIMIT 50) a) AS "alerts",
    EXISTS (SELECT 1 FROM "TimelineEvent" WHERE "incidentId" = $1::int AND "kind" = 'statuspage.updated') AS "published",
    (SELECT "url" FROM "IncidentLink" WHERE "incidentId" = $1::int AND "kind" = 'review') AS "review"`;

/** The links an incident's header shows as buttons; all but `web` also become channel bookmarks. */
export type LinkKind = "dashboard" | "runbook" | "status" | "review" | "web";
export const BOOKMARKED_KINDS: readonly LinkKind[] = ["dashboard", "runbook", "status", "review"];

export interface IncidentLinkView {
  kind: LinkKind;
  title: string;
  url: string;
}

export const LINK_TITLES: Record<LinkKind, string> = {
  dashboard: "Dashboard",
  runbook: "Runbook",
  status: "Status page",
  review: "Review",
  web: "Web view",
};

// A Block Kit button's url takes at most 3000 characters; a longer link is left out rather than refused by Slack.
const MAX_URL = 3000;
const isUrl = (v: unknown): v is string => typeof v === "string" && v.length <= MAX_URL && /^https?:\/\/[^\s<>|]+$/i.test(v);

// Where senders put them: Grafana's dashboardURL / panelURL (stored as links "dashboard" / "panel"), a generic
// alert's links [{text: "dashboard"}], and the annotations Prometheus rules conventionally carry (runbook_url, dashboard).
const DASHBOARD_ANNOTATIONS = ["dashboard", "dashboard_url", "dashboardURL", "grafana_dashboard", "grafana_url"];
const RUNBOOK_ANNOTATIONS = ["runbook_url", "runbook", "runbookURL", "runbook_link", "playbook_url"];

/**
 * The dashboard and runbook an alert carries. The dashboard falls back to a Grafana panel, then to the
 * sender's own link to the alert's query (Alertmanager's generatorURL), so a Prometheus alert still has one.
 */
export function alertLinks(alert: { links: unknown; annotations: unknown }): { dashboard?: string; runbook?: string } {
  const links = Array.isArray(alert.links) ? (alert.links as { text?: unknown; url?: unknown }[]) : [];
  const annotations = (alert.annotations && typeof alert.annotations === "object" ? alert.annotations : {}) as Record<string, unknown>;
  const link = (re: RegExp) => links.find((l) => typeof l.text === "string" && re.test(l.text) && isUrl(l.url))?.url as string | undefined;
  const annotation = (names: string[]) => names.map((n) => annotations[n]).find(isUrl);
  return {
    dashboard: link(/dashboard/i) ?? annotation(DASHBOARD_ANNOTATIONS) ?? link(/^panel$/i) ?? link(/^(source|generator)$/i),
    runbook: annotation(RUNBOOK_ANNOTATIONS) ?? link(/runbook|playbook/i),
  };
}

/**
 * Every link the incident has now, in header order: the dashboard and runbook of its alerts (the first alert that
 * carries each), the public status page once an update is published there, the review once its message is posted
 * (its permalink, recorded by the bookmark job), and the web view when it is on.
 */
export async function loadIncidentLinks(ctx: AppContext, incidentId: number): Promise<IncidentLinkView[]> {
  // One statement, not three: every render and the header post read this, on the embedded database's one connection.
  const [row] = await directQuery<{ alerts: string | null; published: boolean | string; review: string | null }>(ctx.prisma, LINK_SOURCES, [
    String(incidentId),
  ]);
  const alerts = JSON.parse(row?.alerts ?? "[]") as { links: unknown; annotations: unknown }[];
  const published = row?.published === true || row?.published === "true";
  const out: IncidentLinkView[] = [];
  const add = (kind: LinkKind, url: string | null | undefined) => {
    if (isUrl(url)) out.push({ kind, title: LINK_TITLES[kind], url });
  };
  const found = alerts.map(alertLinks);
  add("dashboard", found.find((l) => l.dashboard)?.dashboard);
  add("runbook", found.find((l) => l.runbook)?.runbook);
  if (published) add("status", publicIncidentUrl(ctx, incidentId));
  add("review", row?.review);
  add("web", webPageUrl(ctx.config, { incidentId }));
  return out;
}
