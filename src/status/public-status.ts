import { createHash } from "node:crypto";
import type { PrismaClient } from "../db.js";
import { readTimelineEvent } from "../timeline/events.js";

/** Incident statuses as Atlassian Statuspage names them; `mitigated` reads as `monitoring` to the public. */
export type PublicIncidentStatus = "investigating" | "identified" | "monitoring" | "resolved";
export type ComponentStatus = "operational" | "degraded_performance" | "partial_outage" | "major_outage" | "under_maintenance";

export function publicStatusOf(internal: string): PublicIncidentStatus {
  if (internal === "mitigated") return "monitoring";
  if (internal === "identified" || internal === "resolved") return internal;
  return "investigating";
}

/** The public id: derived, so the internal INC-<n> number is never in a public URL. */
export function publicIdOf(incidentId: number): string {
  return createHash("sha256").update(`status-page:${incidentId}`).digest("hex").slice(0, 12);
}

export interface PublicUpdate {
  status: PublicIncidentStatus;
  body: string;
  at: Date;
}

export interface PublicIncident {
  id: string;
  name: string;
  status: PublicIncidentStatus;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicComponent {
  id: string;
  name: string;
  status: ComponentStatus;
}

export interface PublicPage {
  title: string;
  components: PublicComponent[];
  active: PublicIncident[];
  /** Incidents started in the last 90 days, resolved or not. */
  recent: PublicIncident[];
  /** The latest published change: Last-Modified. */
  lastChange: Date | null;
  now: Date;
}

/** The public name until someone names it: plain language, never the internal title. */
export const DEFAULT_PUBLIC_NAME = "Service disruption";
const HISTORY_DAYS = 90;

/**
 * Reads only what a person published (`statuspage.updated` events with their text) — titles, severities, channels,
 * people and notes are never selected, so they cannot reach the page.
 */
export async function loadPublicPage(prisma: PrismaClient, now: Date, title = "Status"): Promise<PublicPage> {
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);
  const events = await prisma.timelineEvent.findMany({
    where: { kind: "statuspage.updated", at: { gte: since } },
    select: { incidentId: true, at: true, kind: true, data: true, incident: { select: { status: true, resolvedAt: true } } },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  const byIncident = new Map<number, PublicIncident>();
  for (const ev of events) {
    const event = readTimelineEvent(ev);
    // Only published text reaches the page; an update before the page existed, or an odd shape, has none.
    if (event.kind !== "statuspage.updated" || event.data.text === undefined) continue;
    const { text, status } = event.data;
    let inc = byIncident.get(ev.incidentId);
    if (!inc) {
      inc = {
        id: publicIdOf(ev.incidentId),
        name: DEFAULT_PUBLIC_NAME,
        status: publicStatusOf(ev.incident.status),
        createdAt: ev.at,
        updatedAt: ev.at,
        resolvedAt: ev.incident.status === "resolved" ? ev.incident.resolvedAt : null,
        updates: [],
      };
      byIncident.set(ev.incidentId, inc);
    }
    inc.createdAt = ev.at; // events come newest first: the last one seen is the first published
    inc.updates.push({
      status: publicStatusOf(status ?? "investigating"),
      body: text,
      at: ev.at,
    });
  }
  const recent = [...byIncident.values()];
  const active = recent.filter((i) => i.status !== "resolved");
  const lastChange = recent.reduce<Date | null>((m, i) => (!m || i.updatedAt > m ? i.updatedAt : m), null);
  const components: PublicComponent[] = [
    { id: "service", name: "Service", status: active.length ? "degraded_performance" : "operational" },
  ];
  return { title, components, active, recent, lastChange, now };
}

export { HISTORY_DAYS };
