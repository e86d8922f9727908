import type { AppContext } from "../context.js";

/** Plain words for end users; the resolve summary is internal and is never put in the draft. */
export const RESOLVED_DRAFT = "This incident is resolved: the service is working normally again. Thank you for your patience.";

const isUser = (id: string | null | undefined): id is string => !!id && /^[UW][A-Z0-9]{2,}$/.test(id);

/**
 * At resolve, a drafted "resolved" update for the comms owner (else the lead, else the declarer), only when the
 * incident is on the public page. Idempotent: a retried job finds the draft it made and offers that one.
 */
export async function offerResolvedUpdate(
  ctx: AppContext,
  incidentId: number,
): Promise<{ draftId: number; userId: string; channelId: string } | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc || inc.status !== "resolved" || !inc.channelId || !inc.resolvedAt) return null;
  const published = await ctx.prisma.timelineEvent.count({ where: { incidentId, kind: "statuspage.updated" } });
  if (published === 0) return null; // never public: nothing to resolve on the page
  const userId = [inc.commsId, inc.leadId, inc.declaredBy].find(isUser);
  if (!userId) return null;
  const existing = await ctx.prisma.statusDraft.findFirst({
    where: { incidentId, status: "resolved", createdAt: { gte: inc.resolvedAt } },
    orderBy: { id: "desc" },
  });
  const draft =
    existing ??
    (await ctx.prisma.statusDraft.create({
      data: { incidentId, text: RESOLVED_DRAFT, status: "resolved", createdBy: "bot", createdAt: ctx.clock.now() },
    }));
  return { draftId: draft.id, userId, channelId: inc.channelId };
}
