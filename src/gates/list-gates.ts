import type { AppContext } from "../context.js";
import { type GateView, toGateView } from "./gate-view.js";

/** Open gates, oldest first, with their items for the progress line. */
export async function listOpenGates(ctx: AppContext, limit = 50): Promise<GateView[]> {
  const rows = await ctx.prisma.gate.findMany({ where: { status: "open" }, include: { items: true }, orderBy: { id: "asc" }, take: limit });
  return rows.map(toGateView);
}
