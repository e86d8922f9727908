// Read-only use cases behind the web pages: plain data, no HTML. Access checks happen in the caller with
// ChannelAccess before anything of a private incident is rendered.
import type { Prisma } from "../db.js";
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

/** Incidents per page of the list. */
export const PAGE_SIZE = 50;

/** A place in the list (newest first): an incident's declaredAt and id, written `<epoch ms>-<id>` in links. */
export interface ListCursor {
  at: Date;
  id: number;
}
const CURSOR = /^([0-9]{1,15})-([1-9][0-9]{0,8})$/;
export const cursorText = (c: ListCursor) => `${c.at.getTime()}-${c.id}`;
const CursorSchema = z.string().transform((v, zctx): ListCursor => {
  const m = CURSOR.exec(v);
  if (!m) {
    zctx.addIssue({ code: "custom", message: 'a place in the list like "1764750000000-42" (use the Older / Newer links)' });
    return z.NEVER;
  }
  return { at: new Date(Number(m[1])), id: Number(m[2]) };
});

/** Which page: `before` = the incidents older than a place (Older →), `after` = newer than it (← Newer); one at most. */
export const ListPageSchema = z
  .object({ before: opt(CursorSchema), after: opt(CursorSchema) })
  .refine((p) => !(p.before && p.after), { message: "give before or after, not both", path: ["before"] });
export type ListPage = z.infer<typeof ListPageSchema>;

/** The filters as a where clause (without the viewer's visibility). */
function filterWhere(f: IncidentFilters): Prisma.IncidentWhereInput {
  return {
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.status === "open" ? { status: { not: "resolved" } } : f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.model ? { OR: [{ modelName: f.model }, { service: f.model }] } : {}),
  };
}

/** What this viewer may see: every public incident and the private ones of the channels given (their memberships). */
const visibleWhere = (privateChannels: readonly string[]): Prisma.IncidentWhereInput =>
  privateChannels.length
    ? { OR: [{ isPrivate: false }, { isPrivate: true, channelId: { in: [...privateChannels] } }] }
    : { isPrivate: false };

/**
 * The channels of the private incidents the filters match: the only ones whose membership must be asked before the
 * list and its counts can be drawn (public incidents need no Slack call).
 */
export async function privateIncidentChannels(ctx: AppContext, f: IncidentFilters): Promise<string[]> {
  const rows = await ctx.prisma.incident.findMany({
    where: { AND: [filterWhere(f), { isPrivate: true, channelId: { not: null } }] },
    distinct: ["channelId"],
    select: { channelId: true },
  });
  return rows.map((r) => r.channelId!);
}

const LIST_COLUMNS = {
  id: true,
  title: true,
  severity: true,
  status: true,
  category: true,
  service: true,
  modelName: true,
  isPrivate: true,
  declaredAt: true,
} satisfies Prisma.IncidentSelect;

export type IncidentListRow = Prisma.IncidentGetPayload<{ select: typeof LIST_COLUMNS }>;

const olderThan = (c: ListCursor): Prisma.IncidentWhereInput => ({
  OR: [{ declaredAt: { lt: c.at } }, { declaredAt: c.at, id: { lt: c.id } }],
});
const newerThan = (c: ListCursor): Prisma.IncidentWhereInput => ({
  OR: [{ declaredAt: { gt: c.at } }, { declaredAt: c.at, id: { gt: c.id } }],
});
const cursorOf = (r: { declaredAt: Date; id: number }): ListCursor => ({ at: r.declaredAt, id: r.id });

export interface IncidentListPage {
  rows: IncidentListRow[];
  /** Where the Older → link starts, when there are older incidents. */
  older: ListCursor | null;
  /** Where the ← Newer link starts, when there are newer incidents. */
  newer: ListCursor | null;
}

/**
 * One page of the list, newest first (declaredAt, then id), by keyset: a page costs the same at any depth. Only the
 * columns the list shows are read; private incidents outside `privateChannels` are left out by the query itself.
 */
export async function listIncidentPage(
  ctx: AppContext,
  f: IncidentFilters,
  privateChannels: readonly string[],
  page: ListPage,
): Promise<IncidentListPage> {
  const base = [filterWhere(f), visibleWhere(privateChannels)];
  const find = (where: Prisma.IncidentWhereInput[], dir: "desc" | "asc", take: number) =>
    ctx.prisma.incident.findMany({
      where: { AND: where },
      orderBy: [{ declaredAt: dir }, { id: dir }],
      take,
      select: LIST_COLUMNS,
    });
  if (page.after) {
    // Newer than a place: the PAGE_SIZE just above it, read upwards, shown newest first.
    const up = await find([...base, newerThan(page.after)], "asc", PAGE_SIZE + 1);
    const rows = up.slice(0, PAGE_SIZE).reverse();
    const last = rows.at(-1);
    const older = last ? ((await find([...base, olderThan(cursorOf(last))], "desc", 1)).length ? cursorOf(last) : null) : null;
    return { rows, older, newer: up.length > PAGE_SIZE ? cursorOf(rows[0]!) : null };
  }
  const down = await find(page.before ? [...base, olderThan(page.before)] : base, "desc", PAGE_SIZE + 1);
  const rows = down.slice(0, PAGE_SIZE);
  const first = rows[0];
  const newer =
    page.before && first ? ((await find([...base, newerThan(cursorOf(first))], "asc", 1)).length ? cursorOf(first) : null) : null;
  return { rows, older: down.length > PAGE_SIZE ? cursorOf(rows.at(-1)!) : null, newer };
}

export interface IncidentCounts {
  /** Incidents the filters match (that this viewer may see). */
  total: number;
  /** For each choice of a filter, how many there would be with it and the other filters as they are. */
  severity: Record<string, number>;
  status: Record<string, number>;
  category: Record<string, number>;
}

/**
 * The count of the list and of every filter choice, from one grouped query (severity × status × category over the
 * incidents this viewer may see and the model filter); a private incident the viewer may not see is in no count.
 */
export async function countIncidents(ctx: AppContext, f: IncidentFilters, privateChannels: readonly string[]): Promise<IncidentCounts> {
  const groups = await ctx.prisma.incident.groupBy({
    by: ["severity", "status", "category"],
    where: { AND: [filterWhere({ model: f.model }), visibleWhere(privateChannels)] },
    _count: { _all: true },
  });
  const statusMatches = (want: string | undefined, s: string) => !want || (want === "open" ? s !== "resolved" : s === want);
  const out: IncidentCounts = { total: 0, severity: {}, status: {}, category: {} };
  const add = (r: Record<string, number>, k: string, n: number) => (r[k] = (r[k] ?? 0) + n);
  for (const g of groups) {
    const n = g._count._all;
    const sev = !f.severity || g.severity === f.severity;
    const st = statusMatches(f.status, g.status);
    const cat = !f.category || g.category === f.category;
    if (sev && st && cat) out.total += n;
    if (st && cat) add(out.severity, g.severity, n);
    if (sev && cat) {
      add(out.status, g.status, n);
      if (g.status !== "resolved") add(out.status, "open", n);
    }
    if (sev && st && g.category) add(out.category, g.category, n);
  }
  return out;
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
