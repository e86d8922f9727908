import type { PublicMaintenance, PublicPage } from "./public-status.js";

const IMPACT: Record<string, number> = { major_outage: 3, partial_outage: 2, degraded_performance: 1 };

/** Atlassian's incident impact from the worst component status it published. */
function impactOf(components: Record<string, string>): "none" | "minor" | "major" | "critical" {
  const worst = Math.max(0, ...Object.values(components).map((s) => IMPACT[s] ?? 0));
  return (["none", "minor", "major", "critical"] as const)[worst]!;
}

/** Atlassian's page indicator and description from the worst component (an active incident is at least minor). */
function pageStatus(page: PublicPage): { indicator: string; description: string } {
  const worst = Math.max(page.active.length ? 1 : 0, ...page.components.map((c) => IMPACT[c.status] ?? 0));
  if (worst === 0 && page.components.some((c) => c.status === "under_maintenance"))
    return { indicator: "maintenance", description: "Service Under Maintenance" };
  if (worst === 3) return { indicator: "critical", description: "Major System Outage" };
  if (worst === 2) return { indicator: "major", description: "Partial System Outage" };
  if (worst === 1) return { indicator: "minor", description: "Minor Service Outage" };
  return { indicator: "none", description: "All Systems Operational" };
}

/** What a visitor has seen happen to a maintenance, newest first, as Atlassian's incident_updates. */
export function maintenanceUpdates(m: PublicMaintenance): { key: string; status: string; body: string; at: Date }[] {
  const window = `${m.scheduledFor.toISOString().slice(0, 16).replace("T", " ")} to ${m.scheduledUntil.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const updates = [{ key: "scheduled", status: "scheduled", body: `${m.name}: scheduled for ${window}.`, at: m.publishedAt }];
  if (m.startedAt)
    updates.push({ key: "in_progress", status: "in_progress", body: `${m.name}: maintenance is in progress.`, at: m.startedAt });
  if (m.endedAt) updates.push({ key: "completed", status: "completed", body: `${m.name}: maintenance is completed.`, at: m.endedAt });
  return updates.reverse();
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
    // Upcoming and in-progress maintenance, as Atlassian lists them (completed ones stay on the page's history).
    scheduled_maintenances: page.maintenance
      .filter((m) => m.status !== "completed")
      .map((m) => ({
        id: m.id,
        name: m.name,
        status: m.status,
        impact: "maintenance",
        shortlink: `/status#maintenance-${m.id}`,
        created_at: m.publishedAt.toISOString(),
        updated_at: m.updatedAt.toISOString(),
        started_at: m.startedAt?.toISOString() ?? null,
        monitoring_at: null,
        resolved_at: null,
        scheduled_for: m.scheduledFor.toISOString(),
        scheduled_until: m.scheduledUntil.toISOString(),
        incident_updates: maintenanceUpdates(m).map((u) => ({
          id: `${m.id}-${u.key}`,
          status: u.status,
          body: u.body,
          incident_id: m.id,
          created_at: u.at.toISOString(),
          updated_at: u.at.toISOString(),
          display_at: u.at.toISOString(),
        })),
        components: page.components.filter((c) => m.components.includes(c.id)).map((c) => ({ id: c.id, name: c.name, status: c.status })),
      })),
  };
}
