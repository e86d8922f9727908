import { loadLeadershipFacts } from "../clocks/leadership-facts.js";
import { userNames } from "../chat/user-names.js";
import { channelLink } from "../chat/links.js";
import type { AppContext } from "../context.js";
import { incidentRef } from "../incidents/naming.js";
import { noticeFailureOnce } from "../timeline/notice-once.js";
import { recordEvent } from "../timeline/record-event.js";
import { type ComposedMail, leadershipSummaryMail, MAIL_NAMES, type MailKind, productUpdateMail } from "./compose.js";
import { describeMailError, sendMail } from "./transport.js";

/** After this many failed attempts the incident channel is told (once) that the email keeps failing. */
export const FAILURES_BEFORE_NOTICE = 2;

/** An email the bot owes, composed from the incident as it stands now (what the send and the preview show). */
export async function composeIncidentMail(
  ctx: AppContext,
  m: { incidentId: number; kind: MailKind; body: string | null; nextUpdateAt: Date | null },
): Promise<ComposedMail | null> {
  const link = (channelId: string | null) => (channelId ? channelLink(channelId, ctx.config.slack.teamId) : null);
  if (m.kind === "leadership-summary") {
    const facts = await loadLeadershipFacts(ctx, m.incidentId);
    if (!facts) return null;
    // Owners by the names Slack shows: an email is read outside Slack, where a user id means nothing.
    const names = await userNames(
      ctx.chat,
      facts.actionItems.map((a) => a.ownerId),
    );
    return leadershipSummaryMail(facts, link(facts.inc.channelId), names);
  }
  const inc = await ctx.prisma.incident.findUnique({ where: { id: m.incidentId } });
  if (!inc) return null;
  return productUpdateMail(
    { ref: incidentRef(inc.id), title: inc.title, severity: inc.severity, status: inc.status },
    { text: m.body ?? "", nextUpdateAt: m.nextUpdateAt, timezone: ctx.config.timezone },
    link(inc.channelId),
  );
}

/**
 * Job `mailSend`: sends one owed email. Idempotent: a row already sent is not sent again (a retry after a
 * crash between the relay's OK and our record can repeat it, with the same Message-ID). A failure is counted
 * and re-thrown, so the queue retries it with backoff; at FAILURES_BEFORE_NOTICE the channel is told once.
 */
export async function sendIncidentMail(ctx: AppContext, { mailId }: { mailId: number }): Promise<void> {
  const cfg = ctx.config.mail;
  const row = await ctx.prisma.mailDelivery.findUnique({ where: { id: mailId } });
  if (!row || row.sentAt) return;
  if (!cfg) throw new Error("email is not configured (SMTP_URL, MAIL_FROM) but an email is owed; it waits until it is");
  const kind = row.kind as MailKind;
  const mail = await composeIncidentMail(ctx, { incidentId: row.incidentId, kind, body: row.body, nextUpdateAt: row.nextUpdateAt });
  if (!mail) return; // the incident is gone: nothing to tell anyone
  const to = (row.recipients as string[]).filter((a) => typeof a === "string");
  const domain = /@([^>\s]+)>?\s*$/.exec(cfg.from)?.[1] ?? "incident-bot.local";
  const messageId = `<incident-bot.${incidentRef(row.incidentId)}.mail-${row.id}@${domain}>`;
  const attempt = row.attempts + 1;
  try {
    await sendMail(cfg, { to, subject: mail.subject, text: mail.text, html: mail.html, messageId });
  } catch (err) {
    const error = describeMailError(err);
    await ctx.prisma.$transaction(async (tx) => {
      await tx.mailDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 }, lastError: error } });
      if (attempt < FAILURES_BEFORE_NOTICE) return;
      await noticeFailureOnce(ctx, tx, {
        claim: () =>
          tx.mailDelivery.updateMany({ where: { id: row.id, failureNoticedAt: null }, data: { failureNoticedAt: ctx.clock.now() } }),
        incidentId: row.incidentId,
        event: { kind: "mail.failing", data: { mailId: row.id, mail: kind, error } },
        text: `The ${MAIL_NAMES[kind]} email could not be sent: ${error}`,
        notice: { kind: "mail-failing", mailId: row.id },
      });
    });
    throw err;
  }
  await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.mailDelivery.updateMany({
      where: { id: row.id, sentAt: null },
      data: { sentAt: ctx.clock.now(), attempts: attempt, subject: mail.subject, messageId, lastError: null },
    });
    if (done.count === 0) return;
    await recordEvent(
      tx,
      row.incidentId,
      { kind: "mail.sent", data: { mailId: row.id, mail: kind, recipients: to.length, attempts: attempt } },
      { at: ctx.clock.now(), actorId: row.actorId, text: `The ${MAIL_NAMES[kind]} was emailed to ${to.join(", ")}` },
    );
    // The channel heard it was failing: tell it that it got through after all.
    if (row.failureNoticedAt) await ctx.jobs.sendInTx(tx, "outreachNotice", { kind: "mail-delivered", mailId: row.id });
  });
}

/** `/incident summary --preview`: the email as it would be sent now, and to whom (null when the incident is gone). */
export async function previewLeadershipMail(ctx: AppContext, incidentId: number) {
  const mail = await composeIncidentMail(ctx, { incidentId, kind: "leadership-summary", body: null, nextUpdateAt: null });
  return mail ? { mail, to: ctx.config.mail?.leadership ?? [] } : null;
}
