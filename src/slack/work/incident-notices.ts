import { statusChangeMessage } from "../../../blocks/stakeholder.js";
import { esc, escKeepMentions } from "../../../blocks/text.js";
import type { ChatMessage } from "../../chat/port.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";

type Notice = JobData<"incidentNotice">;

/** Job `incidentNotice`: the line a change puts in the incident channel (or the stakeholder channel). */
export async function postIncidentNotice(ctx: AppContext, job: Notice): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({
    where: { id: job.incidentId },
    select: { channelId: true, title: true, severity: true },
  });
  if (!inc) return; // deleted: nothing to post to
  if (job.kind === "stakeholder-status") {
    const view = { ref: incidentRef(job.incidentId), title: inc.title, severity: inc.severity, status: job.to, channelId: inc.channelId };
    await ctx.chat.post(job.channelId, statusChangeMessage(view, job.from, job.to, job.actorId, job.summary));
    return;
  }
  if (!inc.channelId) throw new ChannelNotReady(`incident ${job.incidentId} has no channel yet`);
  await ctx.chat.post(inc.channelId, incidentLine(job));
}

function incidentLine(job: Exclude<Notice, { kind: "stakeholder-status" }>): ChatMessage {
  switch (job.kind) {
    case "note":
      return { text: `📝 Note from <@${job.actorId}>: ${escKeepMentions(job.text)}` };
    case "action-item-added":
      return { text: `📌 Action item for <@${job.ownerId}>: ${escKeepMentions(job.text)}${job.dueDate ? ` (due ${job.dueDate})` : ""}` };
    case "reopened":
      return {
        text: `🔁 ${incidentRef(job.incidentId)} reopened by <@${job.actorId}>: ${escKeepMentions(job.reason)}. Mitigation and update clocks restarted.`,
      };
    case "status": {
      const verb = job.status === "resolved" ? "✅ Resolved" : `Status → *${job.status}*`;
      return { text: `${verb} by <@${job.actorId}>${job.summary ? `: ${esc(job.summary)}` : "."}` };
    }
    case "status-page":
      return {
        text: `🌐 <@${job.actorId}> published to the ${job.url ? `<${job.url}|status page>` : "status page"}:\n>${esc(job.text).replace(/\n/g, "\n>")}`,
      };
    case "statuspage-failed":
      return { text: `⚠️ The update could not be mirrored to Atlassian Statuspage: ${esc(job.error)}. The bot's own status page has it.` };
  }
}
