import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.js";
import type { JiraConfig } from "../config.js";
import type { Prisma } from "../db.js";
import { incidentRef } from "../incidents/naming.js";
import { channelLink } from "../chat/links.js";
import { recordEvent } from "../timeline/record-event.js";
import { webPageUrl } from "../web/links.js";
import { queueReviewRefresh } from "../reviews/queue-review-refresh.js";
import {
  adfDoc,
  adfLink,
  adfText,
  createIssue,
  findUserByEmail,
  JiraRefused,
  JiraUnavailable,
  jqlString,
  searchIssues,
  type AdfInline,
} from "./jira-api.js";
import { actionItemLabel, incidentLabel } from "./queue-jira-issue.js";

/** How long one worker holds an item's create (renewed while it works): a killed worker's item is free after this. */
export const JIRA_LEASE_MS = 10_000;
/** After a create whose answer was lost, how long Jira's search may take to show the issue before we create again. */
export const JIRA_SEARCH_SETTLE_MS = 10_000;
/** After this many failed attempts to reach Jira the channel is told (once); the job keeps retrying. */
export const JIRA_FAILURES_BEFORE_NOTICE = 2;

type Tx = Prisma.TransactionClient;

/** Another worker holds the item's lease: retried later (the job queue's backoff). */
export class LeaseHeld extends Error {}
/** A create got no answer a moment ago: Jira's search may not show it yet, so wait before creating again. */
class SearchSettling extends Error {}

type Item = NonNullable<Awaited<ReturnType<typeof loadItem>>>;

const loadItem = (ctx: AppContext, id: number) =>
  ctx.prisma.actionItem.findUnique({
    where: { id },
    include: { incident: { select: { id: true, title: true, severity: true, channelId: true } } },
  });

/**
 * Job `jiraIssue`: makes one action item a Jira issue, once. Under a lease (one worker at a time, across replicas),
 * it first looks the issue up by the item's label (a create whose answer a crash or timeout lost), and only then
 * creates it: assignee by the owner's email (none found → unassigned, said so), due date, labels, the incident link.
 * 429 / 5xx / no answer → retried with backoff (said once after two attempts); a refusal (400 field errors, 401, 403,
 * 404) → said in the channel in words, not retried until `/incident review` owes it again.
 */
export async function createJiraIssue(ctx: AppContext, { actionItemId }: { actionItemId: number }): Promise<void> {
  const cfg = ctx.config.jira;
  const item = await loadItem(ctx, actionItemId);
  if (!item || item.jiraKey || item.jiraState !== "pending") return;
  if (!cfg) throw new Error("Jira is not configured (JIRA_URL, …) but a Jira issue is owed; it waits until it is");
  const owner = randomUUID();
  const leaseUntil = () => new Date(ctx.clock.now().getTime() + JIRA_LEASE_MS);
  const claimed = await ctx.prisma.actionItem.updateMany({
    where: {
      id: item.id,
      jiraKey: null,
      jiraState: "pending",
      OR: [{ jiraLeaseUntil: null }, { jiraLeaseUntil: { lt: ctx.clock.now() } }],
    },
    data: { jiraLeaseOwner: owner, jiraLeaseUntil: leaseUntil() },
  });
  if (claimed.count === 0) throw new LeaseHeld(`action item ${item.id}: another worker is creating its Jira issue`);
  const heartbeat = setInterval(() => {
    void ctx.prisma.actionItem
      .updateMany({ where: { id: item.id, jiraLeaseOwner: owner }, data: { jiraLeaseUntil: leaseUntil() } })
      .catch(() => {});
  }, JIRA_LEASE_MS / 3);
  try {
    await createUnderLease(ctx, cfg, item, owner);
  } finally {
    clearInterval(heartbeat);
    await ctx.prisma.actionItem
      .updateMany({ where: { id: item.id, jiraLeaseOwner: owner }, data: { jiraLeaseOwner: null, jiraLeaseUntil: null } })
      .catch(() => {});
  }
}

async function createUnderLease(ctx: AppContext, cfg: JiraConfig, item: Item, owner: string) {
  const label = actionItemLabel(item.id);
  try {
    // Look before creating: a create answered after a crash (or a timeout) left the issue in Jira but not here.
    const [found] = await searchIssues(cfg, `project = ${jqlString(cfg.projectKey)} AND labels = ${jqlString(label)}`, 2);
    if (found) {
      const accountId = found.assigneeAccountId ?? null;
      return await recordCreated(ctx, cfg, item, found.key, { accountId, note: accountId ? null : "unassigned in Jira", foundAgain: true });
    }
    if (item.jiraCreateAt && ctx.clock.now().getTime() - item.jiraCreateAt.getTime() < JIRA_SEARCH_SETTLE_MS) {
      throw new SearchSettling(`action item ${item.id}: an earlier create got no answer; waiting for Jira's search to show it`);
    }
    const assignee = await findAssignee(ctx, cfg, item.ownerId);
    const fields = {
      projectKey: cfg.projectKey,
      issueType: cfg.issueType,
      summary: summaryOf(item),
      description: descriptionOf(ctx, item, assignee.email ?? assignee.name),
      dueDate: item.dueDate,
      labels: [incidentLabel(item.incidentId), label],
    };
    await ctx.prisma.actionItem.updateMany({ where: { id: item.id, jiraLeaseOwner: owner }, data: { jiraCreateAt: ctx.clock.now() } });
    // A definite "not created" (a refusal, a 429 after its retries) clears the stamp; a lost answer keeps it.
    const create = async (assigneeAccountId: string | null) => {
      try {
        return await createIssue(cfg, { ...fields, assigneeAccountId });
      } catch (err) {
        if (err instanceof JiraRefused || (err instanceof JiraUnavailable && !err.uncertain)) {
          await ctx.prisma.actionItem.updateMany({ where: { id: item.id, jiraLeaseOwner: owner }, data: { jiraCreateAt: null } });
        }
        throw err;
      }
    };
    let note = assignee.note;
    let accountId = assignee.accountId;
    let created: { key: string };
    try {
      created = await create(accountId);
    } catch (err) {
      // The account exists but cannot be assigned here (not a project member, …): create it unassigned and say why.
      if (!(err instanceof JiraRefused && err.status === 400 && accountId && err.fieldErrors.assignee)) throw err;
      note = `Jira would not assign it to ${assignee.name ?? assignee.email}: ${err.fieldErrors.assignee}`;
      accountId = null;
      created = await create(null);
    }
    await recordCreated(ctx, cfg, item, created.key, { accountId, note, foundAgain: false });
  } catch (err) {
    if (err instanceof JiraRefused) return recordRefused(ctx, item, err);
    if (err instanceof JiraUnavailable) await recordUnavailable(ctx, item, err);
    throw err;
  }
}

/** The owner's Jira account by the email on their Slack profile; when there is none, why not (in words). */
async function findAssignee(ctx: AppContext, cfg: JiraConfig, ownerId: string) {
  let email: string | null = null;
  try {
    email = await ctx.chat.userEmail(ownerId);
  } catch (err) {
    ctx.log.warn({ err, ownerId }, "jira: could not read the owner's email from Slack");
  }
  if (!email) {
    // The issue still names the owner as Slack shows them (users.info, the same cached answer), not by a bare id.
    const slackName = await ctx.chat.userName(ownerId).catch(() => null);
    return { accountId: null, name: slackName, email: null, note: "the owner's Slack profile shows no email to find them in Jira" };
  }
  const user = await findUserByEmail(cfg, email);
  if (!user) return { accountId: null, name: null, email, note: `no Jira account has the email ${email}` };
  return { accountId: user.accountId, name: user.displayName, email, note: null };
}

const summaryOf = (item: Item) => {
  const s = item.text.replace(/\s+/g, " ").trim();
  return s.length > 255 ? `${s.slice(0, 254)}…` : s; // Jira's summary holds 255 characters
};

/** `owner`: the owner's email, else their Slack name; neither known, their Slack user id. */
function descriptionOf(ctx: AppContext, item: Item, owner: string | null) {
  const ref = incidentRef(item.incidentId);
  const paragraphs: AdfInline[][] = [
    [adfText(`Action item #${item.id} from the post-incident review of ${ref} (${item.incident.severity}): ${item.incident.title}`)],
    [adfText(item.text)],
  ];
  if (item.incident.channelId) {
    paragraphs.push([
      adfText("Incident channel: "),
      adfLink(`${ref} in Slack`, channelLink(item.incident.channelId, ctx.config.slack.teamId)),
    ]);
  }
  const web = webPageUrl(ctx.config, { incidentId: item.incidentId });
  if (web) paragraphs.push([adfText("Incident page: "), adfLink(ref, web)]);
  paragraphs.push([adfText(`Owner: ${owner ?? `Slack user ${item.ownerId}`}${item.dueDate ? ` · due ${item.dueDate}` : ""}`)]);
  paragraphs.push([adfText("Moving this issue to a Done status closes the action item in the incident bot.")]);
  return adfDoc(paragraphs);
}

async function recordCreated(
  ctx: AppContext,
  cfg: JiraConfig,
  item: Item,
  key: string,
  o: { accountId: string | null; note: string | null; foundAgain: boolean },
) {
  const url = `${cfg.url}/browse/${key}`;
  await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.actionItem.updateMany({
      where: { id: item.id, jiraKey: null },
      data: {
        jiraKey: key,
        jiraUrl: url,
        jiraState: "created",
        jiraAssignee: o.accountId,
        jiraNote: o.note,
        jiraError: null,
        jiraCreateAt: null,
        jiraAttempts: { increment: 1 },
      },
    });
    if (done.count === 0) return;
    await recordEvent(
      tx,
      item.incidentId,
      { kind: "jira.issue_created", data: { actionItemId: item.id, key, assigned: o.accountId !== null, foundAgain: o.foundAgain } },
      {
        at: ctx.clock.now(),
        actorId: null,
        text: `Action item #${item.id} is Jira issue ${key}${o.note ? ` (unassigned: ${o.note})` : ""}`,
      },
    );
    await ctx.jobs.sendInTx(tx, "outreachNotice", { kind: "jira-created", actionItemId: item.id });
    await queueReviewRefresh(ctx, tx, item.incidentId);
  });
}

async function recordRefused(ctx: AppContext, item: Item, err: JiraRefused) {
  await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.actionItem.updateMany({
      where: { id: item.id, jiraKey: null, jiraState: "pending" },
      data: { jiraState: "failed", jiraError: err.message, jiraCreateAt: null, jiraAttempts: { increment: 1 } },
    });
    if (done.count === 0) return;
    await noticeFailure(ctx, tx, item, err.message, true);
  });
}

async function recordUnavailable(ctx: AppContext, item: Item, err: JiraUnavailable) {
  await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.actionItem.update({ where: { id: item.id }, data: { jiraError: err.message, jiraAttempts: { increment: 1 } } });
    if (row.jiraAttempts >= JIRA_FAILURES_BEFORE_NOTICE) await noticeFailure(ctx, tx, item, err.message, false);
  });
}

/** Once per owed issue (claimed by jiraNoticedAt): a timeline event and one line in the channel. */
async function noticeFailure(ctx: AppContext, tx: Tx, item: Item, error: string, final: boolean) {
  const claimed = await tx.actionItem.updateMany({ where: { id: item.id, jiraNoticedAt: null }, data: { jiraNoticedAt: ctx.clock.now() } });
  if (claimed.count === 0) return;
  await recordEvent(
    tx,
    item.incidentId,
    { kind: "jira.failed", data: { actionItemId: item.id, error, final } },
    { at: ctx.clock.now(), actorId: null, text: `Action item #${item.id} not created in Jira: ${error}` },
  );
  await ctx.jobs.sendInTx(tx, "outreachNotice", { kind: "jira-failed", actionItemId: item.id, final });
}
