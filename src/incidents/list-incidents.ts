import type { AppContext } from "../context.js";

/** Open incidents, newest first. Private incidents are left out except for their declarer, lead and comms owner. */
export async function listOpenIncidents(ctx: AppContext, viewerId: string) {
  return ctx.prisma.incident.findMany({
    where: {
      status: { not: "resolved" },
      OR: [{ isPrivate: false }, { declaredBy: viewerId }, { leadId: viewerId }, { commsId: viewerId }],
    },
    orderBy: { id: "desc" },
    take: 40,
  });
}
