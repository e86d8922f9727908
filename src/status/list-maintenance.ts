import type { AppContext } from "../context.js";
import { componentsOf, maintenanceStatus, type MaintenanceStatus } from "./maintenance.js";

export interface MaintenanceListItem {
  id: number;
  name: string;
  status: MaintenanceStatus;
  scheduledFor: Date;
  scheduledUntil: Date;
  components: string[];
  /** The last Statuspage mirror failure, if the latest attempt failed. */
  failure: string | null;
}

/** `maintenance list`: published maintenance that is upcoming or in progress, soonest first. */
export async function listMaintenance(ctx: AppContext): Promise<MaintenanceListItem[]> {
  const now = ctx.clock.now();
  const rows = await ctx.prisma.statusMaintenance.findMany({
    where: { publishedAt: { not: null }, cancelledAt: null, completedAt: null, scheduledUntil: { gt: now } },
    orderBy: [{ scheduledFor: "asc" }, { id: "asc" }],
    take: 50,
  });
  const names = new Map(ctx.config.statusPage.components.map((c) => [c.id, c.name]));
  return rows.map((m) => ({
    id: m.id,
    name: m.name,
    status: maintenanceStatus(m, now),
    scheduledFor: m.scheduledFor,
    scheduledUntil: m.scheduledUntil,
    components: componentsOf(m).map((c) => names.get(c) ?? c),
    failure: m.failure,
  }));
}
