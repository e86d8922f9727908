import {
  clockAlarmMessage,
  leadershipSummaryMessage,
  productUpdateOfferMessage,
  stakeholderUpdateMessage,
} from "../../../blocks/stakeholder.js";
import type { AppContext } from "../../context.js";
import { loadLeadershipFacts } from "../../clocks/leadership-facts.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

/** Job `clockNotice`: a clock alarm, the drafted update offer, a stakeholder update or the leadership summary. */
export async function postClockNotice(ctx: AppContext, job: JobData<"clockNotice">): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: job.incidentId } });
  if (!inc) return; // deleted: nothing to post to
  const channel = ("channelId" in job ? job.channelId : null) ?? inc.channelId;
  if (!channel) throw new ChannelNotReady(`incident ${job.incidentId} has no channel yet`);
  if (job.kind === "stakeholder-update") {
    const message = stakeholderUpdateMessage(
      { ref: incidentRef(inc.id), title: inc.title, severity: inc.severity, status: job.status, channelId: inc.channelId },
      {
        text: job.text,
        authorId: job.authorId,
        automatic: job.automatic,
        nextUpdateAt: new Date(job.nextUpdateAt),
        timezone: ctx.config.timezone,
      },
    );
    await ctx.chat.post(channel, message);
    return;
  }
  if (job.kind === "alarm") {
    await ctx.chat.post(
      channel,
      clockAlarmMessage(incidentRef(inc.id), job.nudges, job.escalations, job.nudgeMentions, job.escalationMentions),
    );
    return;
  }
  if (job.kind === "draft-offer") {
    await ctx.chat.post(channel, productUpdateOfferMessage(inc.id, job.draft, job.offeredTo, new Date(job.dueAt), ctx.config.timezone));
    return;
  }
  const facts = await loadLeadershipFacts(ctx, inc.id);
  if (facts) await ctx.chat.post(channel, leadershipSummaryMessage(facts));
}
