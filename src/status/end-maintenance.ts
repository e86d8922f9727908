import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { refreshPublicPage } from "./page-cache.js";
import { MAINTENANCE_USAGE, maintenanceStatus } from "./maintenance.js";

export type EndHow = "complete" | "cancel";

/** Parses the `<id>` of `complete` / `cancel` (`3` or `#3`). */
export function parseMaintenanceId(raw: string, how: EndHow): number {
  const m = /^#?(\d{1,9})$/.exec(raw.trim());
  if (!m)
    throw new AppError("usage", `Say which maintenance to ${how}: its number from \`/incident maintenance list\`.`, MAINTENANCE_USAGE);
  return Number(m[1]);
}

/**
 * `maintenance complete <id>` ends a published maintenance now (it shows as completed, its components operational);
 * `maintenance cancel <id>` takes one that has not ended off the page (and deletes it on Statuspage). Each happens
 * once: the row is changed only while it is still open.
 */
export async function endMaintenance(ctx: AppContext, id: number, actorId: string, how: EndHow): Promise<{ name: string }> {
  const now = ctx.clock.now();
  const m = await ctx.prisma.statusMaintenance.findUnique({ where: { id } });
  if (!m || !m.publishedAt)
    throw new AppError("not_found", `There is no published maintenance #${id}; see \`/incident maintenance list\`.`, MAINTENANCE_USAGE);
  if (m.cancelledAt) throw new AppError("conflict", `Maintenance #${id} (“${m.name}”) was already cancelled.`);
  const status = maintenanceStatus(m, now);
  if (status === "completed") throw new AppError("conflict", `Maintenance #${id} (“${m.name}”) is already completed.`);
  if (how === "complete" && status === "scheduled")
    throw new AppError(
      "conflict",
      `Maintenance #${id} (“${m.name}”) has not started; cancel it instead (\`/incident maintenance cancel ${id}\`).`,
    );
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const r = await tx.statusMaintenance.updateMany({
      where: { id, cancelledAt: null, completedAt: null },
      data: how === "complete" ? { completedAt: now, endedBy: actorId } : { cancelledAt: now, endedBy: actorId },
    });
    if (r.count === 1 && ctx.config.statuspage) {
      await ctx.jobs.sendInTx(tx, "statuspageMaintenanceSync", { maintenanceId: id }, { singletonKey: `statuspage-maintenance-${id}` });
    }
    return r.count === 1;
  });
  if (!changed) throw new AppError("conflict", `Maintenance #${id} (“${m.name}”) was ended by someone else just now.`);
  await refreshPublicPage(ctx);
  return { name: m.name };
}
