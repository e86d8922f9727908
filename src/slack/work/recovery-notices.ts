import { recoveryOverdueNudge } from "../../../blocks/registry-events.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";
import { loadRecoveryNudge } from "../../models/recovery-watch.js";

/** Job `recoveryNotice`: the recovery watch's nudge to the lead, in the incident channel. */
export async function postRecoveryNotice(ctx: AppContext, job: JobData<"recoveryNotice">): Promise<void> {
  const n = await loadRecoveryNudge(ctx, job.incidentId);
  if (!n || !n.alerts.length) return;
  if (!n.channelId) throw new ChannelNotReady(`incident ${job.incidentId} has no channel yet`);
  await ctx.chat.post(
    n.channelId,
    recoveryOverdueNudge({ incidentRef: incidentRef(n.incidentId), leadId: n.leadId, seconds: n.seconds, alerts: n.alerts }),
  );
}
