import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { componentsOf, maintenanceStatus, type MaintenanceStatus, parseMaintenanceRequest } from "./maintenance.js";

/** What the page will show once a maintenance is published: the preview a person checks before clicking Publish. */
export interface MaintenancePreview {
  id: number;
  name: string;
  scheduledFor: Date;
  scheduledUntil: Date;
  components: { id: string; name: string }[];
  status: MaintenanceStatus;
  publishedAt: Date | null;
  timezone: string;
}

/** `maintenance schedule …`: stores a draft to preview; nothing reaches the page until someone publishes it. */
export async function scheduleMaintenance(ctx: AppContext, actorId: string, args: string): Promise<MaintenancePreview> {
  const now = ctx.clock.now();
  const req = parseMaintenanceRequest(args, ctx.config.timezone, ctx.config.statusPage, now);
  const row = await ctx.prisma.statusMaintenance.create({
    data: { ...req, createdBy: actorId, createdAt: now },
  });
  return loadMaintenancePreview(ctx, row.id);
}

export async function loadMaintenancePreview(ctx: AppContext, id: number): Promise<MaintenancePreview> {
  const m = await ctx.prisma.statusMaintenance.findUnique({ where: { id } });
  if (!m) throw new AppError("not_found", `There is no maintenance #${id}; see \`/incident maintenance list\`.`);
  const ids = componentsOf(m);
  return {
    id: m.id,
    name: m.name,
    scheduledFor: m.scheduledFor,
    scheduledUntil: m.scheduledUntil,
    components: ctx.config.statusPage.components.filter((c) => ids.includes(c.id)).map((c) => ({ id: c.id, name: c.name })),
    status: maintenanceStatus(m, ctx.clock.now()),
    publishedAt: m.publishedAt,
    timezone: ctx.config.timezone,
  };
}
