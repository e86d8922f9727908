import { esc, escKeepMentions } from "../../../blocks/text.js";
import type { AppContext } from "../../context.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import { incidentRef } from "../../incidents/naming.js";
import type { JobData } from "../../jobs/payloads.js";
import { dueWording, loadActionItemFacts } from "../../reviews/action-item-facts.js";

/** Job `reminders` (dm kinds): one reminder DM (a job, so a Slack hiccup retries it without re-claiming the day). */
export async function sendReminderDm(ctx: AppContext, job: Exclude<JobData<"reminders">, { kind: "sweep" }>): Promise<void> {
  let text: string;
  if (job.kind === "dm") text = job.text;
  else {
    const a = await loadActionItemFacts(ctx, job.actionItemId);
    if (!a) return; // deleted: nothing to remind of
    text = `⏰ Action item #${a.id} from ${incidentRef(a.incident.id)} (${esc(a.incident.title)}) ${dueWording(a.dueDate, job.day)}: ${escKeepMentions(a.text)}\nWhen it is done, run \`/incident done-action ${a.id}\` in the incident channel.`;
  }
  const dm = await ctx.chat.openDm(job.userId);
  await ctx.chat.post(dm, { text });
}

/** Job `reviewNotice`: a line about an action item in its incident's channel. */
export async function postReviewNotice(ctx: AppContext, job: JobData<"reviewNotice">): Promise<void> {
  const a = await loadActionItemFacts(ctx, job.actionItemId);
  if (!a) return;
  if (!a.incident.channelId) throw new ChannelNotReady(`incident ${a.incident.id} has no channel yet`);
  const text =
    job.kind === "action-item-done"
      ? `☑️ Action item #${a.id} done (<@${job.actorId}>): ${escKeepMentions(a.text)}`
      : `⏰ Action item #${a.id} for <@${a.ownerId}> ${dueWording(a.dueDate, job.day)}: ${escKeepMentions(a.text)}`;
  await ctx.chat.post(a.incident.channelId, { text });
}
