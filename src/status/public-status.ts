import { createHash } from "node:crypto";
import type { PrismaClient } from "../db.js";
import { DEFAULT_STATUS_PAGE, type StatusPageSettings } from "./page-file.js";
import { componentsOf, maintenanceEnd, maintenancePublicId, maintenanceStatus, type MaintenanceStatus } from "./maintenance.js";

/** Incident statuses as Atlassian Statuspage names them; `mitigated` reads as `monitoring` to the public. */
export const PUBLIC_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type PublicIncidentStatus = (typeof PUBLIC_STATUSES)[number];
export const COMPONENT_STATUSES = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

// Worst first: a component two incidents touch shows the worse of the two.
const SEVERITY: Record<ComponentStatus, number> = {
  major_outage: 4,
  partial_outage: 3,
  degraded_performance: 2,
  under_maintenance: 1,
  operational: 0,
};
export const worse = (a: ComponentStatus, b: ComponentStatus): ComponentStatus => (SEVERITY[b] > SEVERITY[a] ? b : a);

export function publicStatusOf(internal: string): PublicIncidentStatus {
  if (internal === "mitigated") return "monitoring";
  if ((PUBLIC_STATUSES as readonly string[]).includes(internal)) return internal as PublicIncidentStatus;
  return "investigating";
}

const asComponentStatus = (s: unknown): ComponentStatus | undefined =>
  typeof s === "string" && (COMPONENT_STATUSES as readonly string[]).includes(s) ? (s as ComponentStatus) : undefined;

/** The public id: derived, so the internal INC-<n> number is never in a public URL. */
export function publicIdOf(incidentId: number): string {
  return createHash("sha256").update(`status-page:${incidentId}`).digest("hex").slice(0, 12);
}

export interface PublicUpdate {
  /** The timeline event id: a stable id for the feed entry. */
  eventId: number;
  status: PublicIncidentStatus;
  body: string;
  at: Date;
}

export interface PublicIncident {
  id: string;
  name: string;
  status: PublicIncidentStatus;
  /** Component id → status, as last published. */
  components: Record<string, ComponentStatus>;
  /** Every component it ever touched (for the history bars). */
  touched: Record<string, ComponentStatus>;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicComponent {
  id: string;
  name: string;
  description?: string;
  group?: string;
  status: ComponentStatus;
  /** HISTORY_DAYS entries, oldest first: the worst published status of each day. */
  days: ComponentStatus[];
}

export interface PublicMaintenance {
  id: string;
  name: string;
  status: MaintenanceStatus;
  scheduledFor: Date;
  scheduledUntil: Date;
  /** When it started (its scheduled start, once passed) and ended (completed early, or its scheduled end once passed). */
  startedAt: Date | null;
  endedAt: Date | null;
  /** The components it affects, ids from STATUS_PAGE_FILE. */
  components: string[];
  publishedAt: Date;
  /** The latest change a visitor can see: published, started or ended. */
  updatedAt: Date;
}

export interface PublicPage {
  title: string;
  components: PublicComponent[];
  active: PublicIncident[];
  /** Published, not cancelled maintenance that ended in the last 90 days or has not ended; soonest first. */
  maintenance: PublicMaintenance[];
  /** Incidents started in the last 90 days, resolved or not. */
  recent: PublicIncident[];
  /** The latest published change: Last-Modified. */
  lastChange: Date | null;
  now: Date;
}

/** The public name until someone names it: plain language, never the internal title. */
export const DEFAULT_PUBLIC_NAME = "Service disruption";
const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Reads only what a person published (`statuspage.updated` events with their text) — titles, severities, channels,
 * people and notes are never selected, so they cannot reach the page. Status, name and components are the
 * published ones too: a change made in Slack shows only once someone publishes it.
 */
export async function loadPublicPage(
  prisma: PrismaClient,
  now: Date,
  settings: StatusPageSettings = DEFAULT_STATUS_PAGE,
): Promise<PublicPage> {
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const events = await prisma.timelineEvent.findMany({
    where: { kind: "statuspage.updated", at: { gte: since } },
    select: { id: true, incidentId: true, at: true, data: true },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  const known = new Set(settings.components.map((c) => c.id));
  const byIncident = new Map<number, PublicIncident>();
  for (const ev of events) {
    const data = (ev.data ?? {}) as { text?: unknown; status?: unknown; name?: unknown; components?: unknown };
    if (typeof data.text !== "string") continue;
    const status = publicStatusOf(typeof data.status === "string" ? data.status : "investigating");
    const comps: Record<string, ComponentStatus> = {};
    if (data.components && typeof data.components === "object") {
      for (const [id, s] of Object.entries(data.components as Record<string, unknown>)) {
        const cs = asComponentStatus(s);
        if (cs && known.has(id)) comps[id] = cs;
      }
    } else if (status !== "resolved") {
      // Updates published before components existed affected the page as a whole.
      for (const id of known) comps[id] = "degraded_performance";
    }
    let inc = byIncident.get(ev.incidentId);
    if (!inc) {
      // Events come newest first: the first one seen carries the incident's current public state.
      inc = {
        id: publicIdOf(ev.incidentId),
        name: typeof data.name === "string" && data.name.trim() ? data.name : DEFAULT_PUBLIC_NAME,
        status,
        components: status === "resolved" ? {} : comps,
        touched: {},
        createdAt: ev.at,
        updatedAt: ev.at,
        resolvedAt: status === "resolved" ? ev.at : null,
        updates: [],
      };
      byIncident.set(ev.incidentId, inc);
    }
    for (const [id, s] of Object.entries(comps)) inc.touched[id] = worse(inc.touched[id] ?? "operational", s);
    inc.createdAt = ev.at;
    inc.updates.push({ eventId: ev.id, status, body: data.text, at: ev.at });
  }
  const recent = [...byIncident.values()];
  const active = recent.filter((i) => i.status !== "resolved");
  const maintenance = await loadPublicMaintenance(prisma, now, since, known);
  const lastChange = [...recent, ...maintenance].reduce<Date | null>((m, i) => (!m || i.updatedAt > m ? i.updatedAt : m), null);
  const today = Math.floor(now.getTime() / DAY_MS);
  const first = today - HISTORY_DAYS + 1;
  const components: PublicComponent[] = settings.components.map((c) => {
    let status: ComponentStatus = "operational";
    for (const inc of active) status = worse(status, inc.components[c.id] ?? "operational");
    const days: ComponentStatus[] = new Array(HISTORY_DAYS).fill("operational");
    for (const m of maintenance) {
      if (!m.components.includes(c.id) || !m.startedAt) continue;
      if (m.status === "in_progress") status = worse(status, "under_maintenance");
      const from = Math.max(Math.floor(m.startedAt.getTime() / DAY_MS), first);
      const to = Math.min(Math.floor((m.endedAt ?? now).getTime() / DAY_MS), today);
      for (let d = from; d <= to; d++) days[d - first] = worse(days[d - first]!, "under_maintenance");
    }
    for (const inc of recent) {
      const s = inc.touched[c.id];
      if (!s) continue;
      const from = Math.max(Math.floor(inc.createdAt.getTime() / DAY_MS), first);
      const to = Math.min(Math.floor((inc.resolvedAt ?? now).getTime() / DAY_MS), today);
      for (let d = from; d <= to; d++) days[d - first] = worse(days[d - first]!, s);
    }
    return { id: c.id, name: c.name, description: c.description, group: c.group, status, days };
  });
  return { title: settings.title, components, active, maintenance, recent, lastChange, now };
}

/** Published maintenance only; cancelled ones are off the page. A maintenance has only public fields (no notes). */
async function loadPublicMaintenance(prisma: PrismaClient, now: Date, since: Date, known: Set<string>): Promise<PublicMaintenance[]> {
  const rows = await prisma.statusMaintenance.findMany({
    where: {
      publishedAt: { not: null, lte: now },
      cancelledAt: null,
      OR: [{ scheduledUntil: { gte: since } }, { completedAt: { gte: since } }],
    },
    select: {
      id: true,
      name: true,
      components: true,
      scheduledFor: true,
      scheduledUntil: true,
      publishedAt: true,
      completedAt: true,
      cancelledAt: true,
    },
    orderBy: [{ scheduledFor: "asc" }, { id: "asc" }],
  });
  return rows.map((m) => {
    const endedAt = maintenanceEnd(m, now);
    // Completed before its start: it never started.
    const startedAt = m.scheduledFor <= now && !(endedAt && endedAt <= m.scheduledFor) ? m.scheduledFor : null;
    const publishedAt = m.publishedAt!;
    const updatedAt = [publishedAt, startedAt, endedAt].reduce<Date>((a, b) => (b && b > a ? b : a), publishedAt);
    return {
      id: maintenancePublicId(m.id),
      name: m.name,
      status: maintenanceStatus(m, now),
      scheduledFor: m.scheduledFor,
      scheduledUntil: m.scheduledUntil,
      startedAt,
      endedAt,
      components: componentsOf(m).filter((c) => known.has(c)),
      publishedAt,
      updatedAt,
    };
  });
}

export { HISTORY_DAYS };
