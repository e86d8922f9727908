import type { AppContext } from "../context.js";

export interface TimelineEntry {
  at: Date;
  kind: string;
  actorId: string | null;
  text: string | null;
  data: unknown;
}

export async function listTimeline(ctx: AppContext, incidentId: number): Promise<TimelineEntry[]> {
  return ctx.prisma.timelineEvent.findMany({
    where: { incidentId },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { at: true, kind: true, actorId: true, text: true, data: true },
  });
}
