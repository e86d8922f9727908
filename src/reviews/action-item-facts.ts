import type { AppContext } from "../context.js";

/** An action item and its incident, for the reminder and completion messages; null when it is gone. */
export async function loadActionItemFacts(ctx: AppContext, actionItemId: number) {
  return ctx.prisma.actionItem.findUnique({
    where: { id: actionItemId },
    include: { incident: { select: { id: true, channelId: true, archivedAt: true, title: true } } },
  });
}

/** How a reminder sent on `day` (YYYY-MM-DD in TIMEZONE) speaks of the due date. */
export const dueWording = (dueDate: string | null, day: string) => (dueDate === day ? "is due today" : `was due ${dueDate}`);
