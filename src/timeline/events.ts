import { z } from "zod";
import { ItemEventSchemas } from "../checklist/item-events.js";
import { readStoredEvent, type StoredEvent } from "./stored-event.js";

/**
 * Timeline events: a discriminated union, stored as (kind, data) rows in TimelineEvent.
 * WARNING: rows are kept forever; changing the data shape of an existing kind needs a migration of old
 * rows (or a new kind). Add new kinds freely.
 */
const user = z.string();
export const TimelineEventSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("incident.declared"),
    data: z.object({ title: z.string(), severity: z.string(), category: z.string().nullable(), source: z.string() }),
  }),
  z.object({ kind: z.literal("incident.acknowledged"), data: z.object({ via: z.string() }) }),
  z.object({ kind: z.literal("severity.changed"), data: z.object({ from: z.string(), to: z.string() }) }),
  z.object({ kind: z.literal("status.changed"), data: z.object({ from: z.string(), to: z.string() }) }),
  z.object({
    kind: z.literal("role.assigned"),
    data: z.object({ role: z.enum(["lead", "comms"]), userId: user, previous: z.string().nullable() }),
  }),
  // The item events have one shape for incident checklists and gates.
  ...ItemEventSchemas,
  z.object({ kind: z.literal("note.added"), data: z.object({}) }),
  z.object({ kind: z.literal("root_cause.recorded"), data: z.object({ previous: z.string().nullable() }) }),
  z.object({
    kind: z.literal("action_item.added"),
    data: z.object({ actionItemId: z.number(), ownerId: user, dueDate: z.string().nullable() }),
  }),
  z.object({
    kind: z.literal("stakeholder.update"),
    data: z.object({ channels: z.array(z.string()), automatic: z.boolean() }),
  }),
  z.object({ kind: z.literal("incident.resolved"), data: z.object({ summary: z.string().nullable() }) }),
  z.object({ kind: z.literal("incident.reopened"), data: z.object({ reason: z.string() }) }),
  z.object({ kind: z.literal("category.changed"), data: z.object({ from: z.string().nullable(), to: z.string() }) }),
  z.object({
    kind: z.literal("alert.received"),
    data: z.object({
      alertId: z.number(),
      source: z.string(),
      fingerprint: z.string(),
      severity: z.string(),
      startsAt: z.string().nullable(),
    }),
  }),
  z.object({ kind: z.literal("alert.resolved"), data: z.object({ alertId: z.number(), source: z.string() }) }),
  z.object({
    kind: z.literal("message.captured"),
    data: z.object({ via: z.enum(["pin", "reaction"]), ts: z.string(), permalink: z.string().nullable() }),
  }),
  z.object({
    kind: z.literal("clock.nudged"),
    data: z.object({ clock: z.string(), targetSeconds: z.number() }),
  }),
  z.object({
    kind: z.literal("clock.escalated"),
    data: z.object({ clock: z.string(), targetSeconds: z.number() }),
  }),
  z.object({ kind: z.literal("clock.met"), data: z.object({ clock: z.string(), late: z.boolean() }) }),
  z.object({ kind: z.literal("escalation.changed"), data: z.object({ from: z.string(), to: z.string() }) }),
  z.object({ kind: z.literal("user_facing.changed"), data: z.object({ userFacing: z.boolean() }) }),
  // `text`/`status` are what the public page shows (events before the page existed carry neither).
  z.object({
    kind: z.literal("statuspage.updated"),
    data: z.object({
      text: z.string().optional(),
      status: z.string().optional(),
      // Since the publish preview (issue 15): the public name and component statuses as published.
      name: z.string().optional(),
      components: z.record(z.string(), z.string()).optional(),
      draftId: z.number().optional(),
    }),
  }),
  // A public status, component status or name chosen in Slack: internal until the next published update carries it.
  z.object({
    kind: z.literal("statuspage.impact_set"),
    data: z.object({
      status: z.string().optional(),
      component: z.string().optional(),
      componentStatus: z.string().optional(),
      name: z.string().optional(),
    }),
  }),
  // The Atlassian Statuspage mirror: created there (once), or a failure told in the channel.
  z.object({ kind: z.literal("statuspage.mirrored"), data: z.object({ remoteId: z.string(), shortlink: z.string().nullable() }) }),
  z.object({ kind: z.literal("statuspage.mirror_failed"), data: z.object({ error: z.string() }) }),
  z.object({ kind: z.literal("summary.sent"), data: z.object({ channel: z.string().nullable() }) }),
  z.object({ kind: z.literal("review.drafted"), data: z.object({ dueDate: z.string() }) }),
  z.object({ kind: z.literal("review.completed"), data: z.object({}) }),
  z.object({ kind: z.literal("runbook.attached"), data: z.object({ runbookId: z.string() }) }),
  z.object({ kind: z.literal("channel.created"), data: z.object({ channelId: z.string(), name: z.string() }) }),
  z.object({ kind: z.literal("channel.archived"), data: z.object({ channelId: z.string() }) }),
  z.object({
    kind: z.literal("slack.call.failed"),
    data: z.object({ step: z.string(), error: z.string(), willRetry: z.boolean() }),
  }),
  z.object({ kind: z.literal("product_update.drafted"), data: z.object({ offeredTo: z.array(z.string()) }) }),
  // via "jira": closed by the Jira webhook (its issue reached a done status), with the issue's key.
  z.object({
    kind: z.literal("action_item.completed"),
    data: z.object({ actionItemId: z.number(), via: z.string().optional(), issueKey: z.string().optional() }),
  }),
  z.object({
    kind: z.literal("channel.archive_warned"),
    data: z.object({ channelId: z.string(), archiveAfter: z.string() }),
  }),
  z.object({
    kind: z.literal("model.rollback_requested"),
    data: z.object({ rollbackId: z.number(), model: z.string(), alias: z.string(), from: z.string(), to: z.string() }),
  }),
  z.object({ kind: z.literal("model.rollback_cancelled"), data: z.object({ rollbackId: z.number() }) }),
  z.object({ kind: z.literal("model.rollback_confirmed"), data: z.object({ rollbackId: z.number() }) }),
  z.object({
    kind: z.literal("model.alias_moved"),
    data: z.object({
      rollbackId: z.number().nullable(),
      model: z.string(),
      alias: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      via: z.string(),
    }),
  }),
  z.object({
    kind: z.literal("model.health_verified"),
    data: z.object({ rollbackId: z.number(), version: z.string(), seconds: z.number() }),
  }),
  z.object({
    kind: z.literal("model.recovery_overdue"),
    data: z.object({ alertIds: z.array(z.number()), seconds: z.number() }),
  }),
  z.object({ kind: z.literal("model.rollback_failed"), data: z.object({ rollbackId: z.number(), step: z.string(), error: z.string() }) }),
  z.object({
    kind: z.literal("review.impact_set"),
    data: z.object({
      usersAffected: z.number().optional(),
      revenue: z.number().optional(),
      predictionsAffected: z.number().optional(),
      dataLoss: z.boolean().optional(),
    }),
  }),
  // Reaching people beyond the channel (issue 16).
  z.object({
    kind: z.literal("mail.sent"),
    data: z.object({ mailId: z.number(), mail: z.string(), recipients: z.number(), attempts: z.number() }),
  }),
  z.object({ kind: z.literal("mail.failing"), data: z.object({ mailId: z.number(), mail: z.string(), error: z.string() }) }),
  z.object({
    kind: z.literal("page.sent"),
    data: z.object({ pageId: z.number(), action: z.string(), dedupKey: z.string(), reason: z.string() }),
  }),
  z.object({ kind: z.literal("oncall.invited"), data: z.object({ userIds: z.array(z.string()), missing: z.array(z.string()) }) }),
  z.object({ kind: z.literal("oncall.lookup_failed"), data: z.object({ error: z.string() }) }),
  z.object({
    kind: z.literal("page.failed"),
    data: z.object({ pageId: z.number(), action: z.string(), dedupKey: z.string(), error: z.string(), final: z.boolean() }),
  }),
  z.object({
    kind: z.literal("jira.issue_created"),
    data: z.object({ actionItemId: z.number(), key: z.string(), assigned: z.boolean(), foundAgain: z.boolean() }),
  }),
  z.object({ kind: z.literal("jira.failed"), data: z.object({ actionItemId: z.number(), error: z.string(), final: z.boolean() }) }),
]);

export type TimelineEventInput = z.infer<typeof TimelineEventSchema>;
export type TimelineKind = TimelineEventInput["kind"];

export type StoredTimelineEvent = StoredEvent<TimelineEventInput>;

/** Never throws: history written by older code (or a kind removed since) stays readable. */
export const readTimelineEvent = (row: { kind: string; data: unknown }): StoredTimelineEvent => readStoredEvent(TimelineEventSchema, row);
