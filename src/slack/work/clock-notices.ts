import {
  clockAlarmMessage,
  leadershipSummaryMessage,
  productUpdateOfferMessage,
  stakeholderUpdateMessage,
} from "../../../blocks/stakeholder.js";
import type { AppContext } from "../../context.js";
import type { Prisma } from "../../db.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;

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
  await ctx.chat.post(channel, await leadershipSummary(ctx, inc));
}

/** Impact, root cause, action items and timeline highlights, as the incident stands. */
async function leadershipSummary(ctx: AppContext, inc: IncidentRow) {
  const actionItems = await ctx.prisma.actionItem.findMany({ where: { incidentId: inc.id }, orderBy: { id: "asc" }, take: 20 });
  const impactParts = [
    inc.summary ?? inc.title,
    inc.service ? `Affected: ${inc.service}.` : null,
    inc.userFacing ? "End users are affected." : "No end-user impact recorded.",
  ];
  return leadershipSummaryMessage({
    inc: {
      ref: incidentRef(inc.id),
      title: inc.title,
      severity: inc.severity,
      status: inc.status,
      channelId: inc.channelId,
      category: inc.category,
      service: inc.service,
      userFacing: inc.userFacing,
    },
    impact: impactParts.filter(Boolean).join(" "),
    rootCause: inc.rootCause ?? (inc.status === "resolved" ? inc.resolutionSummary : null),
    actionItems,
    highlights: [
      { label: "Detected", at: inc.detectedAt },
      { label: "Declared", at: inc.declaredAt },
      { label: "Acknowledged", at: inc.acknowledgedAt },
      { label: "Root cause identified", at: inc.identifiedAt },
      { label: "Mitigated", at: inc.mitigatedAt },
      { label: "Resolved", at: inc.resolvedAt },
    ],
    timezone: ctx.config.timezone,
  });
}
