import { rollbackNotice } from "../../../blocks/rollback.js";
import type { AppContext } from "../../context.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

/** Job `rollbackNotice`: a rollback step in the incident channel, worded from the stored rollback. */
export async function postRollbackNotice(ctx: AppContext, job: JobData<"rollbackNotice">): Promise<void> {
  const r = await ctx.prisma.rollback.findUnique({ where: { id: job.rollbackId }, include: { incident: true } });
  if (!r) return;
  if (!r.incident.channelId) throw new ChannelNotReady(`incident ${r.incidentId} has no channel yet`);
  const mitigatedAt = r.verifiedAt ?? r.incident.mitigatedAt;
  const minutes = mitigatedAt ? Math.round((mitigatedAt.getTime() - r.incident.detectedAt.getTime()) / 60_000) : null;
  await ctx.chat.post(
    r.incident.channelId,
    rollbackNotice({
      rollbackId: r.id,
      stage: job.stage,
      model: r.model,
      alias: r.alias,
      from: r.fromVersion,
      to: r.toVersion,
      actor: r.confirmedBy ?? r.requestedBy,
      error: r.error,
      moved: r.movedAt !== null,
      minutesFromDetection: job.stage === "verified" ? minutes : null,
      targetMinutes: Math.round(ctx.config.targets.mitigate / 60),
    }),
  );
}
