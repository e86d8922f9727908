import { isSlackUserId } from "../chat/ids.js";
import { scheduleWake } from "./start-clocks.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { Escalation } from "../incidents/types.js";
import { TimelineEventSchema } from "../timeline/events.js";
import { queueTrigger } from "../paging/queue-page.js";
import { recordEvent } from "../timeline/record-event.js";
import { cadenceSeconds } from "./cadence.js";
import { draftProductUpdate } from "./draft-product-update.js";
import { CLOCK_KINDS, CLOCK_LABELS, type ClockKind, durationText } from "./kinds.js";
import { roleUser } from "./role-directory.js";

type Tx = Prisma.TransactionClient;
type IncidentRow = Prisma.IncidentGetPayload<object>;
type ClockRow = Prisma.ClockGetPayload<object>;

export const CADENCE_KIND = "cadence";
const RANK: Record<Escalation, number> = { green: 0, yellow: 1, red: 2 };

export interface EvaluationResult {
  nudged: { incidentId: number; clock: ClockKind }[];
  escalated: { incidentId: number; clock: ClockKind }[];
  drafted: number[];
  cadencePosts: number[];
  /** The earliest future deadline seen (the worker re-wakes when it is close). */
  nextDueAt: Date | null;
}

const isKind = (k: string): k is ClockKind => (CLOCK_KINDS as readonly string[]).includes(k);
const uniq = (xs: string[]) => [...new Set(xs)];

/**
 * Decides from ctx.clock.now() what every running clock is owed: a nudge at its target, an escalation at
 * twice the target, the drafted product update at 2/3 of its target, and the automatic cadence post.
 * Each is claimed with a conditional update (`... where nudgedAt is null`) in the same transaction that
 * queues its message, so it happens at most once across restarts and concurrent processes.
 */
export async function evaluateClocks(ctx: AppContext, incidentId?: number): Promise<EvaluationResult> {
  const now = ctx.clock.now();
  const result: EvaluationResult = { nudged: [], escalated: [], drafted: [], cadencePosts: [], nextDueAt: null };
  const ids = incidentId !== undefined ? [incidentId] : await incidentsToEvaluate(ctx);
  for (const id of ids) {
    await ctx.prisma.$transaction((tx) => evaluateIncident(ctx, tx, id, now, result), { timeout: 15_000 });
  }
  for (const n of result.nudged) ctx.metrics.clockNudges.inc({ clock: n.clock, kind: "nudge" });
  for (const n of result.escalated) ctx.metrics.clockNudges.inc({ clock: n.clock, kind: "escalation" });
  return result;
}

async function incidentsToEvaluate(ctx: AppContext): Promise<number[]> {
  const [running, open] = await Promise.all([
    ctx.prisma.clock.findMany({ where: { metAt: null, stoppedAt: null }, select: { incidentId: true }, distinct: ["incidentId"] }),
    ctx.prisma.incident.findMany({ where: { status: { not: "resolved" } }, select: { id: true } }),
  ]);
  return uniq([...running.map((c) => String(c.incidentId)), ...open.map((i) => String(i.id))])
    .map(Number)
    .sort((a, b) => a - b);
}

async function evaluateIncident(ctx: AppContext, tx: Tx, incidentId: number, now: Date, out: EvaluationResult) {
  // Same lock order as changeIncident (incident row first), so an ack racing the evaluator cannot deadlock.
  await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${incidentId} FOR UPDATE`;
  const inc = await tx.incident.findUnique({ where: { id: incidentId } });
  if (!inc) return;
  const clocks = await tx.clock.findMany({ where: { incidentId, metAt: null, stoppedAt: null }, orderBy: { id: "asc" } });
  const nudges: ClockRow[] = [];
  const escalations: ClockRow[] = [];
  const claim = async (c: ClockRow, field: "nudgedAt" | "escalatedAt") => {
    const r = await tx.clock.updateMany({
      where: { id: c.id, [field]: null, metAt: null, stoppedAt: null },
      data: field === "nudgedAt" ? { nudgedAt: now, breached: true } : { escalatedAt: now, breached: true },
    });
    return r.count === 1;
  };

  for (const c of clocks) {
    if (!isKind(c.kind)) continue;
    const escalateAt = new Date(c.startedAt.getTime() + 2 * c.targetSeconds * 1000);
    if (!c.nudgedAt && now >= c.dueAt && (await claim(c, "nudgedAt"))) nudges.push(c);
    if (!c.escalatedAt && now >= escalateAt && (await claim(c, "escalatedAt"))) escalations.push(c);
    for (const d of [c.dueAt, escalateAt]) if (d > now && (!out.nextDueAt || d < out.nextDueAt)) out.nextDueAt = d;
    if (c.kind === "product_update" && !c.nudgedAt && now < c.dueAt && inc.status !== "resolved") {
      const offerAt = new Date(c.startedAt.getTime() + Math.floor((c.targetSeconds * 2000) / 3));
      if (offerAt > now && (!out.nextDueAt || offerAt < out.nextDueAt)) out.nextDueAt = offerAt;
      if (now >= offerAt && (await offerDraft(ctx, tx, inc, c, now))) out.drafted.push(incidentId);
    }
  }

  if (nudges.length || escalations.length) {
    const declarer = isSlackUserId(inc.declaredBy) ? inc.declaredBy : null;
    const owner = inc.leadId ? [inc.leadId] : declarer ? [declarer] : [];
    // Ack nudges with no lead name who is on call (PagerDuty schedules, when looked up) instead of the generic responders.
    const onCall = await tx.timelineEvent.findFirst({ where: { incidentId, kind: "oncall.invited" }, orderBy: { id: "desc" } });
    const onCallIds = ((onCall?.data as { userIds?: string[] } | null)?.userIds ?? []).filter((u) => typeof u === "string");
    const ackMentions = onCallIds.length ? onCallIds : ctx.config.responders;
    const nudgeMentions = uniq([...owner, ...(!inc.leadId && nudges.some((c) => c.kind === "ack") ? ackMentions : [])]);
    const mlLead = escalations.length ? await roleUser(tx, "ml-lead") : null;
    const escalationMentions = uniq([...(mlLead ? [mlLead] : []), ...owner]);
    const alarm = (c: ClockRow) => ({
      label: CLOCK_LABELS[c.kind as ClockKind],
      targetSeconds: c.targetSeconds,
      sinceWhat: c.kind === "status_page" ? "the incident became user-facing" : "detection",
    });
    // One message for all of them, worded when the job runs (src/slack/work/clock-notices.ts).
    await ctx.jobs.sendInTx(tx, "clockNotice", {
      kind: "alarm",
      incidentId,
      nudges: nudges.map(alarm),
      escalations: escalations.map(alarm),
      nudgeMentions,
      escalationMentions,
    });
    // Each nudge and escalation is a timeline event; one loop so both are recorded alike.
    const missed = [
      ...nudges.map((c) => ({
        c,
        kind: "clock.nudged" as const,
        to: out.nudged,
        text: `${alarm(c).label} target missed (${durationText(c.targetSeconds)} since ${alarm(c).sinceWhat})`,
      })),
      ...escalations.map((c) => ({
        c,
        kind: "clock.escalated" as const,
        to: out.escalated,
        text: `Escalated: ${alarm(c).label} unmet at twice its target${mlLead ? ` (ML lead <@${mlLead}>)` : ""}`,
      })),
    ];
    for (const { c, kind, to, text } of missed) {
      await recordEvent(
        tx,
        incidentId,
        { kind, data: { clock: c.kind, targetSeconds: c.targetSeconds } },
        { at: now, actorId: null, text },
      );
      to.push({ incidentId, clock: c.kind as ClockKind });
    }
    // An escalation pages the on-call through PagerDuty (once per incident; never after resolution).
    if (escalations.length && inc.status !== "resolved") {
      await queueTrigger(ctx, tx, incidentId, `escalated: ${escalations.map((c) => alarm(c).label).join(", ")} unmet at twice its target`);
    }
    const wanted: Escalation = escalations.length ? "red" : "yellow";
    await raiseEscalation(ctx, tx, inc, wanted, now);
  }

  await runCadence(ctx, tx, inc, now, out);
}

/** Raises (never lowers) the green/yellow/red colour shown on the header, with a timeline event. */
export async function raiseEscalation(ctx: AppContext, tx: Tx, inc: IncidentRow, to: Escalation, now: Date, actorId: string | null = null) {
  const from = inc.escalation as Escalation;
  if (RANK[to] <= RANK[from]) return false;
  await tx.incident.update({ where: { id: inc.id }, data: { escalation: to } });
  await recordEvent(
    tx,
    inc.id,
    { kind: "escalation.changed", data: { from, to } },
    { at: now, actorId, text: `Escalation ${from} → ${to}` },
  );
  await ctx.jobs.sendInTx(tx, "render", { incidentId: inc.id }, { singletonKey: `render-${inc.id}` });
  return true;
}

/** Offers the drafted product update once per product-update clock (claimed by a unique timeline source key). */
async function offerDraft(ctx: AppContext, tx: Tx, inc: IncidentRow, clock: ClockRow, now: Date): Promise<boolean> {
  const offeredTo = inc.commsId ? [inc.commsId] : inc.leadId ? [inc.leadId] : isSlackUserId(inc.declaredBy) ? [inc.declaredBy] : [];
  const event = TimelineEventSchema.parse({ kind: "product_update.drafted", data: { offeredTo } });
  const claimed = await tx.timelineEvent.createMany({
    data: [
      {
        incidentId: inc.id,
        kind: event.kind,
        data: event.data as Prisma.InputJsonValue,
        actorId: null,
        at: now,
        text: "Product update drafted and offered for sending",
        sourceKey: `draft:product_update:${clock.startedAt.getTime()}`,
      },
    ],
    skipDuplicates: true,
  });
  if (claimed.count !== 1) return false;
  const draft = draftProductUpdate(inc, clock.dueAt, ctx.config.timezone);
  await ctx.jobs.sendInTx(tx, "clockNotice", {
    kind: "draft-offer",
    incidentId: inc.id,
    draft,
    offeredTo,
    dueAt: clock.dueAt.toISOString(),
  });
  return true;
}

/**
 * The automatic status post at the severity's cadence (stakeholder channel and incident channel). It does
 * not meet the product-update clock. The cadence row's dueAt is the claim: only the process that moves it
 * forward posts.
 */
async function runCadence(ctx: AppContext, tx: Tx, inc: IncidentRow, now: Date, out: EvaluationResult) {
  const row = await tx.clock.findUnique({ where: { incidentId_kind: { incidentId: inc.id, kind: CADENCE_KIND } } });
  const every = cadenceSeconds(ctx.config, inc.severity);
  if (inc.status === "resolved" || every === null) {
    if (row && !row.stoppedAt) await tx.clock.update({ where: { id: row.id }, data: { stoppedAt: now } });
    return;
  }
  if (!row || row.stoppedAt) {
    // Severity raised to P1/P2 (or an incident from before cadences): start counting from now.
    await startCadence(ctx, tx, inc.id, every, now);
    return;
  }
  if (row.dueAt > now) {
    if (!out.nextDueAt || row.dueAt < out.nextDueAt) out.nextDueAt = row.dueAt;
    return;
  }
  const next = new Date(now.getTime() + every * 1000);
  const moved = await tx.clock.updateMany({
    where: { id: row.id, dueAt: row.dueAt },
    data: { startedAt: now, dueAt: next, targetSeconds: every },
  });
  if (moved.count !== 1) return;
  await scheduleWake(tx, ctx.jobs, inc.id, next);
  const lastUpdate = await tx.timelineEvent.findFirst({
    where: { incidentId: inc.id, kind: "stakeholder.update" },
    orderBy: { at: "desc" },
    select: { text: true },
  });
  const text = `Automatic status: ${inc.status}.${lastUpdate?.text ? ` Last update: ${lastUpdate.text}` : ""}`;
  const update = {
    kind: "stakeholder-update",
    incidentId: inc.id,
    status: inc.status,
    text,
    authorId: null,
    automatic: true,
    nextUpdateAt: next.toISOString(),
  } as const;
  const channels: string[] = [];
  if (ctx.config.stakeholderChannelId) {
    await ctx.jobs.sendInTx(tx, "clockNotice", { ...update, channelId: ctx.config.stakeholderChannelId });
    channels.push(ctx.config.stakeholderChannelId);
  }
  await ctx.jobs.sendInTx(tx, "clockNotice", { ...update, channelId: null });
  if (inc.channelId) channels.push(inc.channelId);
  await recordEvent(
    tx,
    inc.id,
    { kind: "stakeholder.update", data: { channels, automatic: true } },
    {
      at: now,
      actorId: null,
      text: `Automatic status update (${inc.status})`,
    },
  );
  out.cadencePosts.push(inc.id);
}

/** (Re)starts the cadence row so the next automatic post is `every` seconds from `from`. */
export async function startCadence(ctx: AppContext, tx: Tx, incidentId: number, every: number, from: Date) {
  const dueAt = new Date(from.getTime() + every * 1000);
  await tx.clock.upsert({
    where: { incidentId_kind: { incidentId, kind: CADENCE_KIND } },
    create: { incidentId, kind: CADENCE_KIND, targetSeconds: every, startedAt: from, dueAt },
    update: { targetSeconds: every, startedAt: from, dueAt, stoppedAt: null },
  });
  await scheduleWake(tx, ctx.jobs, incidentId, dueAt);
  return dueAt;
}
