import type PgBoss from "pg-boss";
import { z } from "zod";
import type { Blocks, ChatMessage } from "../chat/port.js";

/**
 * Every durable job queue: its pg-boss name, policy and payload schema. This file imports no handlers, so
 * domain code that sends a job (and queue.ts) can import it without a cycle; the handlers are in registry.ts.
 * `stately` queues keep at most one queued and one running job per singletonKey, which coalesces bursts
 * (ten quick changes → one re-render with the latest state).
 */

const id = z.number().int();
const incidentJob = z.object({ incidentId: id });

// A clock that missed its target: what it is called, its target and what it counts from.
const clockAlarm = z.object({ label: z.string(), targetSeconds: z.number(), sinceWhat: z.string() });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// Blocks are built by blocks/ and typed there; the queue checks only their outline (objects with a type).
const chatMessage = z.object({
  text: z.string(),
  blocks: z.array(z.custom<Blocks[number]>((b) => isRecord(b) && typeof b.type === "string", "a block needs a type")).optional(),
  metadata: z
    .custom<NonNullable<ChatMessage["metadata"]>>(
      (m) => isRecord(m) && typeof m.event_type === "string" && isRecord(m.event_payload),
      "metadata needs an event_type and an event_payload object",
    )
    .optional(),
  threadTs: z.string().optional(),
});

export const QUEUES = {
  provision: { name: "incident-provision", policy: "standard", schema: incidentJob },
  render: { name: "incident-render", policy: "stately", schema: incidentJob },
  // The announcement in INCIDENTS_CHANNEL_ID: sent by the render job, so it follows every change (src/slack/work/announce-incident.ts).
  announce: { name: "incident-announce", policy: "stately", schema: incidentJob },
  // The channel's bookmarks (dashboard, runbook, status page, review), each added once: sent by the render job (src/incidents/sync-bookmarks.ts).
  bookmarks: { name: "incident-bookmarks", policy: "stately", schema: incidentJob },
  post: {
    name: "slack-post",
    policy: "standard",
    schema: z.object({
      target: z.union([z.object({ incidentId: id }), z.object({ channelId: z.string() })]),
      message: chatMessage,
      pin: z.boolean().optional(),
    }),
  },
  // Dedupes waiting wakes by singletonKey; without an incident it evaluates every open one.
  clockWake: { name: "clock-wake", policy: "short", schema: z.object({ incidentId: id.optional() }) },
  alertDigest: { name: "alert-digest", policy: "stately", schema: incidentJob },
  alertTriage: { name: "alert-triage", policy: "standard", schema: z.object({ alertId: id }) },
  // Alert lines for the incident channel, told by id and rendered when the job runs (src/slack/work/alert-notices.ts).
  alertNotice: {
    name: "alert-notice",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      // severityReason is not stored on the alert: the opener's routing decided it.
      z.object({ kind: z.literal("opened"), incidentId: id, alertId: id, severityReason: z.string().nullable() }),
      z.object({ kind: z.literal("all-resolved"), incidentId: id }),
    ]),
  },
  // Lines about an incident change, told as facts and worded when the job runs (src/slack/work/incident-notices.ts).
  incidentNotice: {
    name: "incident-notice",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("note"), incidentId: id, actorId: z.string(), text: z.string() }),
      z.object({
        kind: z.literal("action-item-added"),
        incidentId: id,
        actionItemId: id,
        ownerId: z.string(),
        text: z.string(),
        dueDate: z.string().nullable(),
      }),
      z.object({ kind: z.literal("reopened"), incidentId: id, actorId: z.string(), reason: z.string() }),
      z.object({ kind: z.literal("status"), incidentId: id, actorId: z.string(), status: z.string(), summary: z.string().nullable() }),
      z.object({ kind: z.literal("status-page"), incidentId: id, actorId: z.string(), text: z.string(), url: z.string().optional() }),
      z.object({ kind: z.literal("statuspage-failed"), incidentId: id, error: z.string() }),
      // To the stakeholder channel (STAKEHOLDER_CHANNEL_ID when it was queued), not the incident's.
      z.object({
        kind: z.literal("stakeholder-status"),
        incidentId: id,
        channelId: z.string(),
        actorId: z.string(),
        from: z.string(),
        to: z.string(),
        summary: z.string().nullable(),
      }),
    ]),
  },
  // Clock and stakeholder messages, told as facts and worded when the job runs (src/slack/work/clock-notices.ts).
  // channelId null: the incident's own channel.
  clockNotice: {
    name: "clock-notice",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({
        kind: z.literal("stakeholder-update"),
        incidentId: id,
        channelId: z.string().nullable(),
        status: z.string(),
        text: z.string(),
        authorId: z.string().nullable(),
        automatic: z.boolean(),
        nextUpdateAt: z.iso.datetime(),
      }),
      z.object({ kind: z.literal("leadership-summary"), incidentId: id, channelId: z.string().nullable() }),
      z.object({
        kind: z.literal("alarm"),
        incidentId: id,
        nudges: z.array(clockAlarm),
        escalations: z.array(clockAlarm),
        nudgeMentions: z.array(z.string()),
        escalationMentions: z.array(z.string()),
      }),
      // The draft is the domain's text (draft-product-update.ts), offered with its buttons.
      z.object({
        kind: z.literal("draft-offer"),
        incidentId: id,
        draft: z.string(),
        offeredTo: z.array(z.string()),
        dueAt: z.iso.datetime(),
      }),
    ]),
  },
  gateRender: { name: "gate-render", policy: "stately", schema: z.object({ gateId: id }) },
  gateChase: {
    name: "gate-chase",
    policy: "standard",
    schema: z.union([
      z.object({ kind: z.literal("dm"), userId: z.string(), day: z.string() }),
      // A gate's unowned items, named when the day was claimed and worded when the job runs (src/slack/work/chase-gates.ts).
      z.object({ kind: z.literal("unowned"), gateId: id, numbers: z.array(z.string()) }),
      z.object({ kind: z.literal("tick").optional(), chain: z.boolean().optional() }),
    ]),
  },
  housekeeping: {
    name: "housekeeping",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("incident-resolved"), incidentId: id }),
      z.object({ kind: z.literal("sweep") }),
      z.object({ kind: z.literal("review-message"), incidentId: id }),
    ]),
  },
  timelineCapture: {
    name: "timeline-capture",
    policy: "standard",
    // A pinned or TIMELINE_REACTION-marked message. Text/author come with pins; reactions carry only the ts.
    schema: z.object({
      channelId: z.string(),
      ts: z.string().regex(/^\d+\.\d+$/),
      via: z.enum(["pin", "reaction"]),
      /** Who pinned or reacted. */
      markedBy: z.string().nullable(),
      text: z.string().optional(),
      author: z.string().nullable().optional(),
      /** The bot's own ids, so its header / playbook / announcements are never captured (they are not news). */
      botUserId: z.string().nullable().optional(),
      botId: z.string().nullable().optional(),
    }),
  },
  reviewDraft: { name: "review-draft", policy: "stately", schema: incidentJob },
  reminders: {
    name: "reminders",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("sweep") }),
      // The action item is rendered when the DM is sent; "dm" with ready text is kept for jobs queued before.
      z.object({ kind: z.literal("action-item-dm"), userId: z.string(), actionItemId: id, day: z.string() }),
      z.object({ kind: z.literal("dm"), userId: z.string(), text: z.string() }),
    ]),
  },
  // Review lines for the incident channel, told by id and rendered when the job runs (src/slack/work/review-notices.ts).
  reviewNotice: {
    name: "review-notice",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("action-item-done"), actionItemId: id, actorId: z.string() }),
      z.object({ kind: z.literal("action-item-due"), actionItemId: id, day: z.string() }),
    ]),
  },
  gateExport: {
    name: "gate-export",
    policy: "standard",
    schema: z.object({ gateId: id, channelId: z.string(), requestedBy: z.string() }),
  },
  homeRefresh: { name: "home-refresh", policy: "stately", schema: z.object({ userId: z.string() }) },
  // One pending hourly tick across processes and restarts (stately + singletonKey): reminders and archiving.
  reviewTick: { name: "review-tick", policy: "stately", schema: z.object({}) },
  // One rollback's registry move and health verification (src/models/run-rollback.ts); re-sent while verifying.
  rollback: { name: "model-rollback", policy: "standard", schema: z.object({ rollbackId: id }) },
  // A rollback step told as a fact and worded when the job runs (src/slack/work/rollback-notices.ts).
  rollbackNotice: {
    name: "rollback-notice",
    policy: "standard",
    schema: z.object({ rollbackId: id, stage: z.enum(["moved", "verified", "failed"]) }),
  },
  // An alias moved in the registry outside the bot (a webhook), told in one incident's channel (src/slack/work/alias-notices.ts).
  aliasNotice: { name: "alias-notice", policy: "standard", schema: z.object({ incidentId: id, moveId: id }) },
  // Recovery watch: RECOVERY_WATCH_SECONDS after a model incident is mitigated, are its alerts still firing? (src/models/recovery-watch.ts)
  recoveryWatch: { name: "recovery-watch", policy: "standard", schema: z.object({ incidentId: id }) },
  recoveryNotice: { name: "recovery-notice", policy: "standard", schema: z.object({ incidentId: id }) },
  // Reaching people beyond the channel (issue 16). One owed email (a MailDelivery row), sent by src/mail.
  mailSend: { name: "mail-send", policy: "standard", schema: z.object({ mailId: id }) },
  // One owed PagerDuty Events API v2 event (a PageEvent row), sent by src/paging.
  pageSend: { name: "page-send", policy: "standard", schema: z.object({ pageId: id }) },
  // Who is on call (PagerDuty schedules) invited to a new incident channel (src/slack/work/oncall-invite.ts).
  oncallInvite: { name: "oncall-invite", policy: "standard", schema: incidentJob },
  // Lines about email, paging and Jira for the incident channel, told by id (src/slack/work/outreach-notices.ts).
  outreachNotice: {
    name: "outreach-notice",
    policy: "standard",
    schema: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("mail-failing"), mailId: id }),
      z.object({ kind: z.literal("mail-delivered"), mailId: id }),
      z.object({ kind: z.literal("page-sent"), pageId: id }),
      z.object({ kind: z.literal("page-failed"), pageId: id }),
      z.object({ kind: z.literal("jira-created"), actionItemId: id }),
      z.object({ kind: z.literal("jira-failed"), actionItemId: id, final: z.boolean() }),
      // Closed by the Jira webhook: by whom in Jira (a display name) and the status it reached.
      z.object({ kind: z.literal("jira-done"), actionItemId: id, by: z.string().nullable(), status: z.string() }),
    ]),
  },
  // One action item made a Jira issue, once (src/jira/create-jira-issue.ts).
  jiraIssue: { name: "jira-issue", policy: "standard", schema: z.object({ actionItemId: id }) },
  // Mirror of the published status to Atlassian Statuspage (issue 15): stately per incident, so a burst of
  // updates coalesces and one incident is never synced twice at once; the handler sends the latest state.
  statuspageSync: { name: "statuspage-sync", policy: "stately", schema: incidentJob },
  // A scheduled maintenance mirrored to Statuspage as a scheduled incident (src/status/sync-statuspage-maintenance.ts).
  statuspageMaintenanceSync: { name: "statuspage-maintenance-sync", policy: "stately", schema: z.object({ maintenanceId: id }) },
  // At resolve: the drafted resolved update offered to the comms owner (src/slack/work/status-resolved-offer.ts).
  statusResolvedOffer: { name: "status-resolved-offer", policy: "standard", schema: incidentJob },
} as const satisfies Record<string, { name: string; policy: PgBoss.QueuePolicy; schema: z.ZodType<object> }>;

export type QueueKey = keyof typeof QUEUES;

/** The payload of a queue's jobs, as its schema describes it. */
export type JobData<K extends QueueKey> = z.infer<(typeof QUEUES)[K]["schema"]>;

/** A job payload that does not match its queue's schema (a bug in the sender, or a job from an older version). */
export class JobPayloadError extends Error {
  constructor(
    readonly queue: QueueKey,
    readonly issues: string,
  ) {
    super(`invalid ${queue} job payload: ${issues}`);
  }
}

/** The payload checked against its queue's schema; throws JobPayloadError naming the queue and the bad fields. */
export function parseJobData<K extends QueueKey>(queue: K, data: unknown): JobData<K> {
  const parsed = QUEUES[queue].schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ");
    throw new JobPayloadError(queue, issues);
  }
  return parsed.data as JobData<K>;
}
