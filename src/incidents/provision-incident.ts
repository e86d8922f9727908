import { randomUUID } from "node:crypto";
import { findPostedMessage } from "../chat/find-posted-message.js";
import { ChatError, type ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { directQuery } from "../db/direct-sql.js";
import { METADATA } from "../chat/ids.js";
import { recordEvent } from "../timeline/record-event.js";
import { channelName, incidentRef, suffixAfterTaken } from "./naming.js";
import { loadIncidentLinks } from "./incident-links.js";
import { loadIncidentItems } from "./incident-checklist.js";
import type { ChecklistItem } from "../checklist/item.js";
import type { IncidentMessages } from "./render-messages.js";
import { hashOf } from "./render-incident.js";

/** Progress of the Slack side of a declaration, saved after every step so a restart resumes, not repeats. */
interface ProvisionState {
  invitees?: string[];
  nameSuffix?: number;
  channelAttempt?: string; // a create was sent with this name; its answer may have been lost in a crash
  invited?: boolean;
  topic?: string;
  headerAttempted?: boolean;
  headerPinned?: boolean;
  playbookAttempted?: boolean;
  playbookPinned?: boolean;
  headerHash?: string; // what was posted, so the first re-render does not send the same message again
  playbookHash?: string;
}

type IncidentRow = Prisma.IncidentGetPayload<object>;
type SlackIds = Partial<Pick<IncidentRow, "channelId" | "channelName" | "headerTs" | "playbookTs">>;

const SAVE_STEP = `UPDATE "Incident" SET "provisionState" = $2::jsonb, "provisionLease" = $3::timestamp(3), "updatedAt" = $4::timestamp(3),
    "channelId" = COALESCE($5::text, "channelId"), "channelName" = COALESCE($6::text, "channelName"),
    "headerTs" = COALESCE($7::text, "headerTs"), "playbookTs" = COALESCE($8::text, "playbookTs")
  WHERE "id" = $1::int AND "provisionOwner" = $9::text RETURNING "id"`;

// Renews the lease only while this worker still holds it: checked before every Slack call (the step's claim).
const RENEW_LEASE = `UPDATE "Incident" SET "provisionLease" = $3::timestamp(3)
  WHERE "id" = $1::int AND "provisionOwner" = $2::text AND "provisionedAt" IS NULL RETURNING "id"`;

/** Another worker took the incident over (this one's lease ran out): stop without touching Slack again. */
class LeaseLost extends Error {}

// Takes the suffix past the highest one reserved for the base name by other incidents (at least `min`).
// Two processes may compute the same one: the unique (channelBase, channelSuffix) index refuses the second.
const RESERVE_SUFFIX = `UPDATE "Incident" SET "channelBase" = $2::text, "channelSuffix" = GREATEST($3::int,
    (SELECT COALESCE(MAX(o."channelSuffix"), 0) + 1 FROM "Incident" o WHERE o."channelBase" = $2::text AND o."id" <> $1::int))
  WHERE "id" = $1::int RETURNING "channelSuffix"`;

const MAX_NAME_TAKEN_PER_ATTEMPT = 40;

/**
 * The durable Slack side of a declaration: channel, invites, topic, header and playbook posted and pinned.
 * Every step is recorded when done; a step whose answer was lost (crash after sending) is recovered by
 * looking the result up (channel by name, message by its metadata) instead of doing it twice.
 * Returns false when another process holds the lease. The messages are worded by the edge (`messages`).
 */
export async function provisionIncident(ctx: AppContext, incidentId: number, messages: IncidentMessages): Promise<boolean> {
  const owner = randomUUID();
  const claimedAt = ctx.clock.now().getTime();
  if (!(await claimLease(ctx, incidentId, owner, claimedAt))) return false;
  const inc = await ctx.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  if (inc.provisionedAt) return true;
  // Kept alive while this worker runs, also while a call waits for the workspace's Slack pacing: only a dead
  // worker's lease runs out, so no other replica starts the same step meanwhile.
  const leaseMs = ctx.config.provisionLeaseSeconds * 1000;
  const lease = { confirmedAt: claimedAt };
  const renew = async () => {
    const sentAt = ctx.clock.now().getTime();
    const rows = await directQuery(ctx.prisma, RENEW_LEASE, [String(incidentId), owner, new Date(sentAt + leaseMs).toISOString()]);
    if (rows.length === 0) throw new LeaseLost(`incident ${incidentId}: provisioning taken over by another worker`);
    lease.confirmedAt = Math.max(lease.confirmedAt, sentAt);
  };
  // Before a Slack call: a lease this worker confirmed less than half a lease ago cannot have run out, so no
  // other worker can hold the step (it may take over only an expired lease); an older one is renewed first.
  const claim = async () => {
    if (ctx.clock.now().getTime() - lease.confirmedAt < leaseMs / 2) return;
    await renew();
  };
  const heartbeat = setInterval(() => void renew().catch(() => {}), Math.max(200, leaseMs / 3));
  heartbeat.unref();
  try {
    return await provisionSteps(ctx, incidentId, messages, owner, inc, claim, lease);
  } catch (e) {
    if (e instanceof LeaseLost) {
      ctx.log.warn({ incident: incidentRef(incidentId) }, e.message);
      return false;
    }
    throw e;
  } finally {
    clearInterval(heartbeat);
  }
}

async function provisionSteps(
  ctx: AppContext,
  incidentId: number,
  messages: IncidentMessages,
  owner: string,
  inc: IncidentRow,
  claim: () => Promise<void>,
  lease: { confirmedAt: number },
): Promise<boolean> {
  const state = (inc.provisionState ?? {}) as ProvisionState;
  // Saved after every step (about ten times per declaration, several incidents at once in an alert storm): a
  // direct statement, not Prisma's per-query work (see direct-sql.ts). `inc` is kept up to date here; what
  // others change meanwhile (title, severity) reaches the channel through the render queued at the end.
  const save = async (patch: Partial<ProvisionState>, data: SlackIds = {}) => {
    Object.assign(state, patch);
    const now = ctx.clock.now();
    const provisionLease = new Date(now.getTime() + ctx.config.provisionLeaseSeconds * 1000);
    const saved = await directQuery(ctx.prisma, SAVE_STEP, [
      String(incidentId),
      JSON.stringify(state),
      provisionLease.toISOString(),
      now.toISOString(),
      data.channelId ?? null,
      data.channelName ?? null,
      data.headerTs ?? null,
      data.playbookTs ?? null,
      owner,
    ]);
    if (saved.length === 0) throw new LeaseLost(`incident ${incidentId}: provisioning taken over by another worker`);
    lease.confirmedAt = Math.max(lease.confirmedAt, now.getTime()); // the save renewed the lease too
    inc = { ...inc, ...data, provisionState: { ...state }, provisionLease, updatedAt: now };
  };

  await step(ctx, inc, owner, "channel", async () => {
    if (inc.channelId) return;
    const naming = { id: inc.id, title: inc.title, declaredAt: inc.declaredAt, timezone: ctx.config.timezone };
    const base = channelName(naming);
    if (state.channelAttempt) {
      // We sent this create before and never saw the answer: the channel may exist already.
      const found = await ctx.chat.findChannelByName(state.channelAttempt);
      if (found) return saveChannel(found);
      await claim();
    }
    // The database knows the names it handed out: start past the highest suffix for this base name, so the
    // n-th same-titled incident costs one create, not n. Slack's name_taken covers names made elsewhere.
    let suffix = inc.channelBase === base && inc.channelSuffix ? inc.channelSuffix : await reserveSuffix(ctx, incidentId, base, 1);
    for (let misses = 0; ;) {
      const name = channelName(naming, suffix);
      await save({ channelAttempt: name, nameSuffix: suffix });
      try {
        return await saveChannel(await ctx.chat.createChannel(name, inc.isPrivate));
      } catch (e) {
        if (!(e instanceof ChatError && e.code === "name_taken")) throw e;
        // A long run of taken names: fail this attempt (recorded, retried by the job from the reserved suffix).
        // The refused name is not ours, so a retry must not adopt it as a lost create.
        if (++misses > MAX_NAME_TAKEN_PER_ATTEMPT) {
          await save({ channelAttempt: undefined });
          throw e;
        }
        suffix = await reserveSuffix(ctx, incidentId, base, suffixAfterTaken(suffix, misses));
      }
    }
  });

  async function saveChannel(ch: { id: string; name: string }) {
    const sourceKey = `channel:${ch.id}`;
    await ctx.prisma.$transaction(async (tx) => {
      // A crash after this event committed but before the channel id was saved: the retry finds the event.
      if (await tx.timelineEvent.findFirst({ where: { incidentId, sourceKey }, select: { id: true } })) return;
      await recordEvent(
        tx,
        incidentId,
        { kind: "channel.created", data: { channelId: ch.id, name: ch.name } },
        { at: ctx.clock.now(), actorId: null, text: `Channel #${ch.name} created`, sourceKey },
      );
    });
    await save({}, { channelId: ch.id, channelName: ch.name });
  }

  const channelId = () => inc.channelId!;

  await step(ctx, inc, owner, "invite", async () => {
    if (state.invited) return;
    await claim();
    await ctx.chat.invite(channelId(), state.invitees ?? []);
    await save({ invited: true });
  });

  await step(ctx, inc, owner, "topic", async () => {
    const topic = messages.topic(inc);
    if (state.topic === topic) return;
    await claim();
    await ctx.chat.setTopic(channelId(), topic);
    await save({ topic });
  });

  // The header and the playbook are posted and pinned alike; a post whose answer was lost is found by its metadata.
  const postAndPin = (which: "header" | "playbook", build: () => ChatMessage | Promise<ChatMessage>) =>
    step(ctx, inc, owner, which, async () => {
      const tsKey = `${which}Ts` as const;
      if (!inc[tsKey]) {
        const ts = state[`${which}Attempted`]
          ? await findPostedMessage(ctx.chat, channelId(), METADATA[which], { incident_id: incidentId })
          : null;
        if (ts) await save({}, { [tsKey]: ts });
        else {
          await save({ [`${which}Attempted`]: true });
          const message = await build();
          const posted = await ctx.chat.post(channelId(), message);
          await save({ [`${which}Hash`]: hashOf(message) }, { [tsKey]: posted.ts });
        }
      }
      if (!state[`${which}Pinned`]) {
        await claim();
        await ctx.chat.pin(channelId(), inc[tsKey]!);
        await save({ [`${which}Pinned`]: true });
      }
    });

  // Loaded once for both messages; a change made meanwhile reaches them through the render queued at the end.
  let items: Promise<ChecklistItem[]> | undefined;
  const playbookItems = () => (items ??= loadIncidentItems(ctx.prisma, incidentId, "playbook"));
  await postAndPin("header", async () => messages.header(inc, await loadIncidentLinks(ctx, incidentId), await playbookItems()));
  await postAndPin("playbook", async () => messages.playbook(inc, await playbookItems()));

  await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.incident.updateMany({
      where: { id: incidentId, provisionOwner: owner },
      data: { provisionedAt: ctx.clock.now(), provisionLease: null, provisionOwner: null },
    });
    if (done.count === 0) throw new LeaseLost(`incident ${incidentId}: provisioning taken over by another worker`);
    // Changes made while we were posting: render once more with the latest state.
    await ctx.jobs.sendInTx(tx, "render", { incidentId }, { singletonKey: `render-${incidentId}` });
  });
  ctx.log.info({ incident: incidentRef(incidentId), channel: inc.channelName }, "incident channel ready");
  return true;
}

/** Reserves a channel-name suffix for the incident; a lost race with another process just tries again. */
async function reserveSuffix(ctx: AppContext, incidentId: number, base: string, min: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await directQuery<{ channelSuffix: number | string }>(ctx.prisma, RESERVE_SUFFIX, [
        String(incidentId),
        base,
        String(min),
      ]);
      return Number(row!.channelSuffix);
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 100) throw e;
    }
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { originalCode?: string; kind?: string } };
  return (
    err?.code === "23505" ||
    err?.code === "P2002" ||
    err?.cause?.originalCode === "23505" ||
    err?.cause?.kind === "UniqueConstraintViolation"
  );
}

async function claimLease(ctx: AppContext, incidentId: number, owner: string, at: number): Promise<boolean> {
  const now = new Date(at);
  const r = await ctx.prisma.incident.updateMany({
    where: { id: incidentId, provisionedAt: null, OR: [{ provisionLease: null }, { provisionLease: { lt: now } }] },
    data: { provisionLease: new Date(now.getTime() + ctx.config.provisionLeaseSeconds * 1000), provisionOwner: owner },
  });
  if (r.count === 1) return true;
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { provisionedAt: true } });
  return !!inc?.provisionedAt;
}

/** Runs one step; a Slack failure is written to the timeline (once per step and error) and rethrown for a retry. */
async function step(ctx: AppContext, inc: IncidentRow, owner: string, name: string, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (e) {
    if (e instanceof LeaseLost) throw e;
    const code = e instanceof ChatError ? e.code : (e as Error).message;
    await ctx.prisma
      .$transaction(async (tx) => {
        await recordEvent(
          tx,
          inc.id,
          { kind: "slack.call.failed", data: { step: name, error: code, willRetry: true } },
          {
            at: ctx.clock.now(),
            actorId: null,
            text: `Slack step "${name}" failed (${code}); retrying`,
            sourceKey: `fail:${name}:${code}`,
          },
        );
      })
      .catch(() => {}); // already recorded for this step and error
    // Release the lease so the retry (this process or another) can start at once.
    // Only its own lease: one taken over by another worker stays theirs.
    await ctx.prisma.incident
      .updateMany({ where: { id: inc.id, provisionOwner: owner }, data: { provisionLease: null, provisionOwner: null } })
      .catch(() => {});
    throw e;
  }
}
