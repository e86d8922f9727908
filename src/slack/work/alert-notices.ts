import { alertOpenedMessage, allAlertsResolvedPrompt } from "../../../blocks/alerts.js";
import { toAlertView } from "../../alerts/alert-view.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

/** Job `alertNotice`: the alert that opened an incident, or the "every alert resolved" prompt, in its channel. */
export async function postAlertNotice(ctx: AppContext, job: JobData<"alertNotice">): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: job.incidentId }, select: { channelId: true } });
  if (!inc) return; // deleted: nothing to post to
  if (!inc.channelId) throw new ChannelNotReady(`incident ${job.incidentId} has no channel yet`);
  if (job.kind === "all-resolved") {
    await ctx.chat.post(inc.channelId, allAlertsResolvedPrompt(job.incidentId));
    return;
  }
  const alert = await ctx.prisma.alert.findUnique({ where: { id: job.alertId } });
  if (!alert) return;
  await ctx.chat.post(inc.channelId, alertOpenedMessage(incidentRef(job.incidentId), toAlertView(alert, job.severityReason)));
}
