import type { AppContext } from "../context.js";
import { readTimelineEvent, type StoredTimelineEvent } from "./events.js";

export interface TimelineEntry {
  at: Date;
  /** The stored kind, as written (also for events this code no longer knows). */
  kind: string;
  actorId: string | null;
  text: string | null;
  /** The event read through the union; `kind: "unknown"` for a kind or shape no code knows. */
  event: StoredTimelineEvent;
}

/** The incident's timeline in order. Never throws on what older code wrote. */
export async function listTimeline(ctx: AppContext, incidentId: number): Promise<TimelineEntry[]> {
  const rows = await ctx.prisma.timelineEvent.findMany({
    where: { incidentId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { at: true, kind: true, actorId: true, text: true, data: true },
  });
  return rows.map(({ data, ...row }) => ({ ...row, event: readTimelineEvent({ kind: row.kind, data }) }));
}
