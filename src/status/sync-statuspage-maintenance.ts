import type { AppContext } from "../context.js";
import { componentsOf, maintenancePublicId } from "./maintenance.js";
import { type MaintenanceBody, statuspage, StatuspagePermanentError } from "./statuspage-client.js";

/**
 * Job `statuspageMaintenanceSync`: a published maintenance becomes a scheduled incident on Atlassian Statuspage
 * (`status: scheduled` with its window, moving itself to in progress and completed, components to and from
 * under_maintenance); completing it early sends `completed`, cancelling it deletes it there. Idempotent: it
 * compares with the state last sent, looks up (by metadata) before it creates, and stores the remote id first.
 */
export async function syncStatuspageMaintenance(ctx: AppContext, id: number): Promise<void> {
  const cfg = ctx.config.statuspage;
  if (!cfg) return;
  const m = await ctx.prisma.statusMaintenance.findUnique({ where: { id } });
  if (!m?.publishedAt) return;
  const want = m.cancelledAt ? "cancelled" : m.completedAt ? "completed" : "scheduled";
  if (m.sentState === want) return;
  const remoteComponents = componentsOf(m)
    .map((c) => ctx.config.statusPage.components.find((x) => x.id === c)?.statuspageId)
    .filter((c): c is string => !!c);
  const publicId = maintenancePublicId(m.id);
  try {
    let remoteId = m.remoteId;
    if (!remoteId) {
      const found = await statuspage.findIncident(cfg, m.name, publicId);
      if (!found && want === "cancelled") {
        // Cancelled before it ever reached Statuspage: nothing there to take down.
        await ctx.prisma.statusMaintenance.update({ where: { id }, data: { sentState: want, failure: null } });
        return;
      }
      const body: MaintenanceBody = {
        name: m.name,
        status: "scheduled",
        body: `${m.name}: scheduled maintenance.`,
        scheduled_for: m.scheduledFor.toISOString(),
        scheduled_until: m.scheduledUntil.toISOString(),
        scheduled_remind_prior: true,
        scheduled_auto_in_progress: true,
        scheduled_auto_completed: true,
        auto_transition_to_maintenance_state: true,
        auto_transition_to_operational_state: true,
        component_ids: remoteComponents,
        metadata: { incident_bot: { maintenance_id: publicId, public_id: publicId } },
        deliver_notifications: true,
      };
      const remote = found ?? (await statuspage.createIncident(cfg, body));
      remoteId = remote.id;
      await ctx.prisma.statusMaintenance.update({
        where: { id },
        data: { remoteId: remote.id, shortlink: remote.shortlink ?? null, sentState: "scheduled" },
      });
    }
    if (want === "completed") {
      await statuspage.updateIncident(cfg, remoteId, { status: "completed", body: `${m.name}: maintenance completed.` });
    } else if (want === "cancelled") {
      await statuspage.deleteIncident(cfg, remoteId);
    }
    await ctx.prisma.statusMaintenance.update({ where: { id }, data: { sentState: want, failure: null } });
  } catch (e) {
    const error = (e as Error).message;
    ctx.log.error({ err: e, maintenanceId: id }, "statuspage maintenance mirror failed");
    // Shown by `maintenance list`; a permanent answer will not change by retrying.
    await ctx.prisma.statusMaintenance.update({ where: { id }, data: { failure: error } });
    if (e instanceof StatuspagePermanentError) return;
    throw e;
  }
}
