import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import type { RawTx } from "../jobs/queue.js";

/** Job payload of `post` (its schema is in src/jobs/payloads.ts). */
export type PostJob = JobData<"post">;

/** Where a queued post goes: an incident's channel (resolved when the job runs) or a fixed channel. */
export type PostTarget = PostJob["target"];

/** Queue a message inside the caller's transaction; it is posted after commit, retried until Slack takes it. */
export async function queuePost(ctx: AppContext, tx: RawTx, target: PostTarget, message: ChatMessage, pin = false) {
  await ctx.jobs.sendInTx(tx, "post", { target, message, pin });
}

export class ChannelNotReady extends Error {}

export async function runPostJob(ctx: AppContext, job: PostJob): Promise<void> {
  let channelId: string;
  if ("incidentId" in job.target) {
    const inc = await ctx.prisma.incident.findUnique({ where: { id: job.target.incidentId }, select: { channelId: true } });
    if (!inc) return; // deleted: nothing to post to
    if (!inc.channelId) throw new ChannelNotReady(`incident ${job.target.incidentId} has no channel yet`);
    channelId = inc.channelId;
  } else {
    channelId = job.target.channelId;
  }
  const posted = await ctx.chat.post(channelId, job.message);
  if (job.pin) await ctx.chat.pin(channelId, posted.ts);
}
