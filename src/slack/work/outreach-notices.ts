import { mailDeliveredMessage, mailFailingMessage, pageFailedMessage, pageSentMessage } from "../../../blocks/outreach.js";
import type { AppContext } from "../../context.js";
import { incidentRef } from "../../incidents/naming.js";
import { ChannelNotReady } from "../../incidents/post-to-channel.js";
import type { JobData } from "../../jobs/payloads.js";
import { MAIL_NAMES, type MailKind } from "../../mail/compose.js";
import { jiraCreatedMessage, jiraDoneMessage, jiraFailedMessage } from "../../../blocks/jira.js";
import { loadActionItemView } from "../../jira/action-item-view.js";

/** Job `outreachNotice`: email, paging and Jira news for the incident channel, worded when it runs. */
export async function postOutreachNotice(ctx: AppContext, job: JobData<"outreachNotice">): Promise<void> {
  if (job.kind === "page-sent" || job.kind === "page-failed") return postPageNotice(ctx, job);
  if (job.kind === "jira-created" || job.kind === "jira-failed" || job.kind === "jira-done") return postJiraNotice(ctx, job);
  const row = await ctx.prisma.mailDelivery.findUnique({ where: { id: job.mailId } });
  const channelId = row && (await incidentChannel(ctx, row.incidentId));
  if (!row || !channelId) return;
  const facts = {
    ref: incidentRef(row.incidentId),
    mailName: MAIL_NAMES[row.kind as MailKind] ?? row.kind,
    to: (row.recipients as string[]) ?? [],
    attempts: job.kind === "mail-failing" ? Math.max(row.attempts, 1) : row.attempts,
    error: row.lastError,
  };
  await ctx.chat.post(channelId, job.kind === "mail-failing" ? mailFailingMessage(facts) : mailDeliveredMessage(facts));
}

async function postPageNotice(ctx: AppContext, job: Extract<JobData<"outreachNotice">, { pageId: number }>): Promise<void> {
  const row = await ctx.prisma.pageEvent.findUnique({ where: { id: job.pageId } });
  const channelId = row && (await incidentChannel(ctx, row.incidentId));
  if (!row || !channelId) return;
  const facts = {
    ref: incidentRef(row.incidentId),
    action: row.action,
    dedupKey: row.dedupKey,
    reason: row.reason,
    message: row.message,
    actorId: row.actorId,
    attempts: row.attempts,
    error: row.lastError,
    refused: row.state === "rejected",
  };
  await ctx.chat.post(channelId, job.kind === "page-sent" ? pageSentMessage(facts) : pageFailedMessage(facts));
}

async function postJiraNotice(ctx: AppContext, job: Extract<JobData<"outreachNotice">, { actionItemId: number }>): Promise<void> {
  const found = await loadActionItemView(ctx, job.actionItemId);
  const channelId = found && (await incidentChannel(ctx, found.view.incidentId));
  if (!found || !channelId) return;
  const ref = incidentRef(found.view.incidentId);
  const message =
    job.kind === "jira-created"
      ? jiraCreatedMessage(ref, found.view)
      : job.kind === "jira-done"
        ? jiraDoneMessage(ref, found.view, job.by, job.status)
        : jiraFailedMessage(ref, found.view, job.final);
  await ctx.chat.post(channelId, message);
}

/** The incident's channel; null when the incident is gone; ChannelNotReady (retried) while it has none yet. */
async function incidentChannel(ctx: AppContext, incidentId: number): Promise<string | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { channelId: true } });
  if (!inc) return null;
  if (!inc.channelId) throw new ChannelNotReady(`incident ${incidentId} has no channel yet`);
  return inc.channelId;
}
