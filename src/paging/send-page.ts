import { channelLink } from "../chat/links.js";
import type { AppContext } from "../context.js";
import { incidentRef } from "../incidents/naming.js";
import { noticeFailureOnce } from "../timeline/notice-once.js";
import { recordEvent } from "../timeline/record-event.js";
import { enqueueEvent, type PagerEvent, PagerRejected, pagerSeverity } from "./events-api.js";

/** After this many failed attempts to reach PagerDuty the incident channel is told (once). */
export const PAGE_FAILURES_BEFORE_NOTICE = 2;

/**
 * Job `pageSend`: one owed PagerDuty event. Sent once (a row already sent or refused is left alone; PagerDuty
 * also folds a repeated trigger into the same alert by dedup_key). 429 / 5xx / no answer → counted and re-thrown
 * for a retry with backoff; 400 → recorded as refused, told in the channel, never retried.
 */
export async function sendPage(ctx: AppContext, { pageId }: { pageId: number }): Promise<void> {
  const cfg = ctx.config.pagerduty;
  const row = await ctx.prisma.pageEvent.findUnique({ where: { id: pageId } });
  if (!row || row.state !== "pending") return;
  if (!cfg) throw new Error("PAGERDUTY_ROUTING_KEY is not set but a PagerDuty event is owed; it waits until it is");
  const inc = await ctx.prisma.incident.findUnique({ where: { id: row.incidentId } });
  if (!inc) return;
  const ref = incidentRef(inc.id);
  const link = inc.channelId ? channelLink(inc.channelId, ctx.config.slack.teamId) : null;
  const event: PagerEvent = {
    routing_key: cfg.routingKey,
    event_action: row.action as PagerEvent["event_action"],
    dedup_key: row.dedupKey,
  };
  if (row.action === "trigger") {
    const summary = row.message ? `${ref}: ${row.message}` : `${ref} ${inc.severity}: ${inc.title}`;
    event.payload = {
      summary: summary.slice(0, 1024),
      source: inc.service ?? inc.modelName ?? "incident-bot",
      severity: pagerSeverity(inc.severity),
      timestamp: ctx.clock.now().toISOString(),
      component: inc.modelName ?? undefined,
      class: inc.category ?? undefined,
      custom_details: {
        incident: ref,
        title: inc.title,
        severity: inc.severity,
        status: inc.status,
        reason: row.reason,
        ...(row.message ? { message: row.message } : {}),
        ...(row.actorId ? { requested_by_slack_user: row.actorId } : {}),
        ...(link ? { slack_channel: link } : {}),
      },
    };
    if (link) event.links = [{ href: link, text: `${ref} incident channel in Slack` }];
    event.client = "incident-bot";
  }
  const attempt = row.attempts + 1;
  try {
    await enqueueEvent(cfg.eventsUrl, event);
  } catch (err) {
    const refused = err instanceof PagerRejected;
    const error = (err as Error).message;
    await ctx.prisma.$transaction(async (tx) => {
      await tx.pageEvent.update({
        where: { id: row.id },
        data: { attempts: { increment: 1 }, lastError: error, ...(refused ? { state: "rejected" } : {}) },
      });
      if (!refused && attempt < PAGE_FAILURES_BEFORE_NOTICE) return;
      await noticeFailureOnce(ctx, tx, {
        claim: () =>
          tx.pageEvent.updateMany({ where: { id: row.id, failureNoticedAt: null }, data: { failureNoticedAt: ctx.clock.now() } }),
        incidentId: row.incidentId,
        event: { kind: "page.failed", data: { pageId: row.id, action: row.action, dedupKey: row.dedupKey, error, final: refused } },
        text: `PagerDuty ${row.action} not sent: ${error}`,
        notice: { kind: "page-failed", pageId: row.id },
      });
    });
    if (refused) return; // retrying a 400 sends the same refused event
    throw err;
  }
  await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.pageEvent.updateMany({
      where: { id: row.id, state: "pending" },
      data: { state: "sent", sentAt: ctx.clock.now(), attempts: attempt, lastError: null },
    });
    if (done.count === 0) return;
    const words =
      { trigger: "paged PagerDuty", acknowledge: "acknowledged in PagerDuty", resolve: "resolved in PagerDuty" }[row.action] ?? row.action;
    await recordEvent(
      tx,
      row.incidentId,
      { kind: "page.sent", data: { pageId: row.id, action: row.action, dedupKey: row.dedupKey, reason: row.reason } },
      { at: ctx.clock.now(), actorId: row.actorId, text: `${ref} ${words} (${row.reason})` },
    );
    if (row.action === "trigger") await ctx.jobs.sendInTx(tx, "outreachNotice", { kind: "page-sent", pageId: row.id });
  });
}
