import type { PublicPage } from "./public-status.js";

/** The shape of Atlassian Statuspage's `/api/v2/summary.json`: unresolved incidents only, like theirs. */
export function summaryJson(page: PublicPage) {
  const affected = page.components.some((c) => c.status !== "operational") || page.active.length > 0;
  const outage = page.components.some((c) => c.status === "major_outage");
  return {
    page: { id: "status", name: page.title, url: "/status", updated_at: (page.lastChange ?? page.now).toISOString() },
    status: affected
      ? { indicator: outage ? "major" : "minor", description: outage ? "Major System Outage" : "Partial System Outage" }
      : { indicator: "none", description: "All Systems Operational" },
    components: page.components.map((c) => ({ id: c.id, name: c.name, status: c.status })),
    incidents: page.active.map((i) => ({
      id: i.id,
      name: i.name,
      status: i.status,
      impact: "minor",
      shortlink: `/status/incidents/${i.id}`,
      created_at: i.createdAt.toISOString(),
      updated_at: i.updatedAt.toISOString(),
      incident_updates: i.updates.map((u) => ({ status: u.status, body: u.body, created_at: u.at.toISOString() })),
    })),
  };
}
