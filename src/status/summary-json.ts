import type { PublicPage } from "./public-status.js";

const IMPACT: Record<string, number> = { major_outage: 3, partial_outage: 2, degraded_performance: 1 };

/** Atlassian's incident impact from the worst component status it published. */
function impactOf(components: Record<string, string>): "none" | "minor" | "major" | "critical" {
  const worst = Math.max(0, ...Object.values(components).map((s) => IMPACT[s] ?? 0));
  return (["none", "minor", "major", "critical"] as const)[worst]!;
}

/** Atlassian's page indicator and description from the worst component (an active incident is at least minor). */
function pageStatus(page: PublicPage): { indicator: string; description: string } {
  const worst = Math.max(page.active.length ? 1 : 0, ...page.components.map((c) => IMPACT[c.status] ?? 0));
  if (worst === 3) return { indicator: "critical", description: "Major System Outage" };
  if (worst === 2) return { indicator: "major", description: "Partial System Outage" };
  if (worst === 1) return { indicator: "minor", description: "Minor Service Outage" };
  return { indicator: "none", description: "All Systems Operational" };
}

/** The shape of Atlassian Statuspage's `/api/v2/summary.json`: unresolved incidents only, like theirs. */
export function summaryJson(page: PublicPage) {
  return {
    page: { id: "status", name: page.title, url: "/status", updated_at: (page.lastChange ?? page.now).toISOString() },
    status: pageStatus(page),
    components: page.components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    incidents: page.active.map((i) => ({
      id: i.id,
      name: i.name,
      status: i.status,
      impact: impactOf(i.components),
      shortlink: `/status/incidents/${i.id}`,
      created_at: i.createdAt.toISOString(),
      updated_at: i.updatedAt.toISOString(),
      incident_updates: i.updates.map((u) => ({ status: u.status, body: u.body, created_at: u.at.toISOString() })),
    })),
  };
}
