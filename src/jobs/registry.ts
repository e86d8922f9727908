import { syncStatuspageMaintenance } from "../status/sync-statuspage-maintenance.js";
import { postAlertDigest } from "../slack/work/alert-digest.js";
import { postAlertNotice } from "../slack/work/alert-notices.js";
import { postTriageMessage } from "../slack/work/alert-triage.js";
import { postClockNotice } from "../slack/work/clock-notices.js";
import { runGateChaseJob } from "../slack/work/chase-gates.js";
import { incidentMessages } from "../slack/work/incident-messages.js";
import { postIncidentNotice } from "../slack/work/incident-notices.js";
import { runGateExport } from "../slack/work/export-gate.js";
import { publishHome } from "../slack/work/publish-home.js";
import { publishReview, refreshReviewMessage } from "../slack/work/publish-review.js";
import { renderGate } from "../slack/work/render-gate.js";
import { renderRunbookMessages } from "../slack/work/render-runbooks.js";
import { postReviewNotice, sendReminderDm } from "../slack/work/review-notices.js";
import { sendIncidentMail } from "../mail/send-incident-mail.js";
import { sendPage } from "../paging/send-page.js";
import { createJiraIssue } from "../jira/create-jira-issue.js";
import { runOnCallInvite } from "../slack/work/oncall-invite.js";
import { postOutreachNotice } from "../slack/work/outreach-notices.js";
import { wakeClocks } from "../clocks/wake-clocks.js";
import type { AppContext } from "../context.js";
import { runRollback } from "../models/run-rollback.js";
import { postRollbackNotice } from "../slack/work/rollback-notices.js";
import { postAliasNotice } from "../slack/work/alias-notices.js";
import { postRecoveryNotice } from "../slack/work/recovery-notices.js";
import { checkRecovery } from "../models/recovery-watch.js";
import { runPostJob } from "../incidents/post-to-channel.js";
import { provisionIncident } from "../incidents/provision-incident.js";
import { renderIncident } from "../incidents/render-incident.js";
import { announceIncident } from "../slack/work/announce-incident.js";
import { runHousekeepingJob, runReminderJob, runReviewTick } from "../reviews/review-tick.js";
import { captureMessage } from "../timeline/capture-message.js";
import { syncBookmarks } from "../incidents/sync-bookmarks.js";
import { syncStatuspage } from "../status/sync-statuspage.js";
import { postResolvedOffer } from "../slack/work/status-resolved-offer.js";
import { type JobData, type QueueKey, QUEUES } from "./payloads.js";

/** One queue's whole definition: pg-boss name, policy and payload schema (payloads.ts), handler and batch size. */
export type JobEntry<K extends QueueKey> = (typeof QUEUES)[K] & {
  handler: (ctx: AppContext, data: JobData<K>) => Promise<void>;
  /** How many of its jobs one process runs at once (Slack calls are slow: one at a time would serialise them). */
  batchSize: number;
};

export type JobRegistry = { [K in QueueKey]: JobEntry<K> };

/** Every job the app runs. The mapped type makes a queue without a handler a compile error. */
export const JOBS: JobRegistry = {
  // Up to 16 declarations are set up in parallel: each spends its time waiting on Slack, not on us.
  provision: {
    ...QUEUES.provision,
    batchSize: 16,
    handler: async (ctx, { incidentId }) => void (await provisionIncident(ctx, incidentId, incidentMessages(ctx))),
  },
  render: {
    ...QUEUES.render,
    batchSize: 8,
    // Runbook checklists: posted and pinned once, then updated in place.
    handler: async (ctx, { incidentId }) => {
      await renderIncident(ctx, incidentId, incidentMessages(ctx));
      await renderRunbookMessages(ctx, incidentId);
      if (ctx.config.incidentsChannelId) await ctx.jobs.send("announce", { incidentId }, { singletonKey: `announce-${incidentId}` });
    },
  },
  // Bookmarks wait on Slack's Tier 2 budget: a few at a time, apart from the renders.
  bookmarks: { ...QUEUES.bookmarks, batchSize: 4, handler: (ctx, { incidentId }) => syncBookmarks(ctx, incidentId) },
  announce: { ...QUEUES.announce, batchSize: 8, handler: (ctx, { incidentId }) => announceIncident(ctx, incidentId) },
  post: { ...QUEUES.post, batchSize: 8, handler: runPostJob },
  clockWake: { ...QUEUES.clockWake, batchSize: 8, handler: wakeClocks },
  alertDigest: { ...QUEUES.alertDigest, batchSize: 8, handler: (ctx, { incidentId }) => postAlertDigest(ctx, incidentId) },
  alertTriage: { ...QUEUES.alertTriage, batchSize: 8, handler: (ctx, { alertId }) => postTriageMessage(ctx, alertId) },
  alertNotice: { ...QUEUES.alertNotice, batchSize: 8, handler: postAlertNotice },
  incidentNotice: { ...QUEUES.incidentNotice, batchSize: 8, handler: postIncidentNotice },
  // A rollback mostly waits on /health polls, so many run at once.
  rollback: { ...QUEUES.rollback, batchSize: 25, handler: (ctx, { rollbackId }) => runRollback(ctx, rollbackId) },
  rollbackNotice: { ...QUEUES.rollbackNotice, batchSize: 8, handler: postRollbackNotice },
  aliasNotice: { ...QUEUES.aliasNotice, batchSize: 8, handler: postAliasNotice },
  recoveryWatch: { ...QUEUES.recoveryWatch, batchSize: 8, handler: (ctx, { incidentId }) => checkRecovery(ctx, incidentId) },
  recoveryNotice: { ...QUEUES.recoveryNotice, batchSize: 8, handler: postRecoveryNotice },
  clockNotice: { ...QUEUES.clockNotice, batchSize: 8, handler: postClockNotice },
  gateRender: { ...QUEUES.gateRender, batchSize: 8, handler: (ctx, { gateId }) => renderGate(ctx, gateId) },
  gateExport: { ...QUEUES.gateExport, batchSize: 8, handler: runGateExport },
  gateChase: { ...QUEUES.gateChase, batchSize: 8, handler: runGateChaseJob },
  homeRefresh: { ...QUEUES.homeRefresh, batchSize: 8, handler: (ctx, { userId }) => publishHome(ctx, userId) },
  timelineCapture: {
    ...QUEUES.timelineCapture,
    batchSize: 8,
    handler: async (ctx, job) => {
      const outcome = await captureMessage(ctx, job);
      ctx.log.debug({ outcome, channel: job.channelId, ts: job.ts }, "timeline capture");
    },
  },
  reviewDraft: { ...QUEUES.reviewDraft, batchSize: 8, handler: (ctx, { incidentId }) => publishReview(ctx, incidentId) },
  housekeeping: {
    ...QUEUES.housekeeping,
    batchSize: 8,
    handler: (ctx, job) => (job.kind === "review-message" ? refreshReviewMessage(ctx, job.incidentId) : runHousekeepingJob(ctx, job)),
  },
  reminders: {
    ...QUEUES.reminders,
    batchSize: 8,
    handler: (ctx, job) => (job.kind === "sweep" ? runReminderJob(ctx, job) : sendReminderDm(ctx, job)),
  },
  reviewNotice: { ...QUEUES.reviewNotice, batchSize: 8, handler: postReviewNotice },
  reviewTick: { ...QUEUES.reviewTick, batchSize: 8, handler: (ctx) => runReviewTick(ctx) },
  mailSend: { ...QUEUES.mailSend, batchSize: 4, handler: sendIncidentMail },
  pageSend: { ...QUEUES.pageSend, batchSize: 4, handler: sendPage },
  oncallInvite: { ...QUEUES.oncallInvite, batchSize: 4, handler: (ctx, { incidentId }) => runOnCallInvite(ctx, incidentId) },
  outreachNotice: { ...QUEUES.outreachNotice, batchSize: 8, handler: postOutreachNotice },
  jiraIssue: { ...QUEUES.jiraIssue, batchSize: 4, handler: createJiraIssue },
  // Paced in-process at 1 request/s per key, so a bigger batch only queues behind the pace.
  statuspageSync: { ...QUEUES.statuspageSync, batchSize: 4, handler: (ctx, { incidentId }) => syncStatuspage(ctx, incidentId) },
  statuspageMaintenanceSync: {
    ...QUEUES.statuspageMaintenanceSync,
    batchSize: 4,
    handler: (ctx, { maintenanceId }) => syncStatuspageMaintenance(ctx, maintenanceId),
  },
  statusResolvedOffer: {
    ...QUEUES.statusResolvedOffer,
    batchSize: 4,
    handler: (ctx, { incidentId }) => postResolvedOffer(ctx, incidentId),
  },
};

/** Starts a worker for every queue in the registry. */
export async function startWorkers(ctx: AppContext, jobs: JobRegistry = JOBS): Promise<void> {
  for (const key of Object.keys(jobs) as QueueKey[]) await startWorker(ctx, jobs, key);
}

async function startWorker<K extends QueueKey>(ctx: AppContext, jobs: JobRegistry, key: K): Promise<void> {
  const entry = jobs[key];
  await ctx.jobs.work(key, (data) => entry.handler(ctx, data), entry.batchSize);
}
