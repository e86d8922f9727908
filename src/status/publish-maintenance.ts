import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { refreshPublicPage } from "./page-cache.js";
import { maintenanceEnd } from "./maintenance.js";

export interface MaintenancePublished {
  id: number;
  name: string;
  alreadyPublished: boolean;
  url: string | null;
}

/**
 * Publishes a previewed maintenance (once: publishedAt is claimed with a conditional update, so a double click or
 * two people publish it once). The page shows it at once and the Statuspage mirror is queued.
 */
export async function publishMaintenance(ctx: AppContext, id: number, actorId: string): Promise<MaintenancePublished> {
  const now = ctx.clock.now();
  const m = await ctx.prisma.statusMaintenance.findUnique({ where: { id } });
  if (!m)
    throw new AppError("not_found", "That maintenance draft no longer exists; schedule it again with `/incident maintenance schedule …`.");
  const url = ctx.config.statusPage.publicUrl ?? null;
  if (m.cancelledAt) throw new AppError("conflict", `Maintenance #${id} was cancelled; schedule it again to publish it.`);
  if (!m.publishedAt && maintenanceEnd(m, now))
    throw new AppError("conflict", `The window of maintenance #${id} is already over; schedule a new one.`);
  const claimed = await ctx.prisma.$transaction(async (tx) => {
    const r = await tx.statusMaintenance.updateMany({ where: { id, publishedAt: null }, data: { publishedAt: now, publishedBy: actorId } });
    if (r.count === 1 && ctx.config.statuspage) {
      await ctx.jobs.sendInTx(tx, "statuspageMaintenanceSync", { maintenanceId: id }, { singletonKey: `statuspage-maintenance-${id}` });
    }
    return r.count === 1;
  });
  if (claimed) await refreshPublicPage(ctx);
  return { id, name: m.name, alreadyPublished: !claimed, url };
}
