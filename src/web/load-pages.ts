// Read-only use cases behind the web pages: plain data, no HTML. Access checks happen in the caller with
// ChannelAccess before anything of a private incident is rendered.
import { z } from "zod";
import type { AppContext } from "../context.js";
import { readGateEvent } from "../gates/gate-events.js";
import { toGateView } from "../gates/gate-view.js";

export const SEVERITIES = ["P1", "P2", "P3", "P4"] as const;
export const STATUSES = ["investigating", "identified", "mitigated", "resolved"] as const;
export const CATEGORIES = ["data", "model", "infrastructure", "integration"] as const;

const opt = <T extends z.ZodTypeAny>(s: T) =>
  z.preprocess((v) => (v === "" || v === undefined ? undefined : v), s.optional()) as unknown as z.ZodOptional<T>;

/** The list's filters from the query string; an unknown value is a 400 with the allowed ones, not a silent ignore. */
export const IncidentFiltersSchema = z.object({
  severity: opt(z.enum(SEVERITIES)),
  status: opt(z.enum([...STATUSES, "open"])),
  category: opt(z.enum(CATEGORIES)),
  model: opt(
    z
      .string()
      .max(100)
      .regex(/^[A-Za-z0-9._:/-]+$/, "a model name like lead-scoring"),
  ),
});
export type IncidentFilters = z.infer<typeof IncidentFiltersSchema>;

const LIST_LIMIT = 200;

export type IncidentListRow = Awaited<ReturnType<typeof listIncidentsForWeb>>[number];

/** Open and recent incidents, newest first, filtered; private ones come back too (the caller checks access). */
export async function listIncidentsForWeb(ctx: AppContext, f: IncidentFilters) {
  return ctx.prisma.incident.findMany({
    where: {
      ...(f.severity ? { severity: f.severity } : {}),
      ...(f.status === "open" ? { status: { not: "resolved" } } : f.status ? { status: f.status } : {}),
      ...(f.category ? { category: f.category } : {}),
      ...(f.model ? { OR: [{ modelName: f.model }, { service: f.model }] } : {}),
    },
    orderBy: { id: "desc" },
    take: LIST_LIMIT,
    select: {
      id: true,
      title: true,
      severity: true,
      status: true,
      category: true,
      service: true,
      modelName: true,
      isPrivate: true,
      channelId: true,
      channelName: true,
      leadId: true,
      declaredAt: true,
      resolvedAt: true,
    },
  });
}

/** The models seen on incidents, for the filter's choices. */
export async function incidentModels(ctx: AppContext): Promise<string[]> {
  const rows = await ctx.prisma.incident.findMany({
    where: { modelName: { not: null } },
    distinct: ["modelName"],
    select: { modelName: true },
  });
  return rows.map((r) => r.modelName!).sort();
}

/** One incident with everything its page shows; null when there is none. */
export async function loadIncidentPage(ctx: AppContext, id: number) {
  return ctx.prisma.incident.findUnique({
    where: { id },
    include: {
      items: { orderBy: [{ list: "asc" }, { position: "asc" }] },
      clocks: { orderBy: { startedAt: "asc" } },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }], take: 2000 },
      alerts: { orderBy: { firstSeenAt: "asc" }, take: 200 },
      review: true,
    },
  });
}
export type IncidentPage = NonNullable<Awaited<ReturnType<typeof loadIncidentPage>>>;

/** Gates, newest first (open ones first). */
export async function listGatesForWeb(ctx: AppContext) {
  const rows = await ctx.prisma.gate.findMany({ include: { items: true }, orderBy: [{ status: "asc" }, { id: "desc" }], take: 200 });
  return rows.map(toGateView);
}

/** One gate with its items and the full audit trail (events read through the typed union, never throwing). */
export async function loadGatePage(ctx: AppContext, id: number) {
  const row = await ctx.prisma.gate.findUnique({
    where: { id },
    include: { items: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!row) return null;
  return {
    gate: toGateView(row),
    events: row.events.map((e) => ({ at: e.at, actorId: e.actorId, event: readGateEvent(e) })),
  };
}
export type GatePage = NonNullable<Awaited<ReturnType<typeof loadGatePage>>>;
