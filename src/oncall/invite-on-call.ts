import type { AppContext } from "../context.js";
import { recordEvent } from "../timeline/record-event.js";
import { type OnCallPerson, whoIsOnCall } from "./who-is-on-call.js";

export type OnCallInviteFacts =
  | { ok: true; channelId: string; invited: OnCallPerson[]; missing: OnCallPerson[] }
  | { ok: false; channelId: string; error: string; responders: string[] };

export class OnCallChannelNotReady extends Error {}

/**
 * Job `oncallInvite` (domain part): who is on call now is invited to the new incident's channel and recorded
 * (`oncall.invited`, which ack nudges read). PagerDuty down: the incident is already open with INCIDENT_RESPONDERS;
 * the facts say who could not be looked up, and the job does not retry (the channel is told once).
 */
export async function inviteOnCall(ctx: AppContext, incidentId: number): Promise<OnCallInviteFacts | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc) return null;
  if (!inc.channelId) throw new OnCallChannelNotReady(`incident ${incidentId} has no channel yet`);
  if (await ctx.prisma.timelineEvent.findFirst({ where: { incidentId, kind: { in: ["oncall.invited", "oncall.lookup_failed"] } } })) {
    return null; // done before (a retried job)
  }
  const found = await whoIsOnCall(ctx);
  const now = ctx.clock.now();
  if (!found.ok) {
    await ctx.prisma.$transaction((tx) =>
      recordEvent(
        tx,
        incidentId,
        { kind: "oncall.lookup_failed", data: { error: found.error } },
        { at: now, actorId: null, text: `Could not look up who is on call: ${found.error}` },
      ),
    );
    return { ok: false, channelId: inc.channelId, error: found.error, responders: ctx.config.responders };
  }
  const invited = found.people.filter((p) => p.slackId);
  const missing = found.people.filter((p) => !p.slackId);
  const ids = [...new Set(invited.map((p) => p.slackId!))];
  await ctx.chat.invite(inc.channelId, ids);
  await ctx.prisma.$transaction((tx) =>
    recordEvent(
      tx,
      incidentId,
      { kind: "oncall.invited", data: { userIds: ids, missing: missing.map((p) => p.email ?? p.name) } },
      { at: now, actorId: null, text: `On call invited: ${ids.map((u) => `<@${u}>`).join(", ") || "nobody found"}` },
    ),
  );
  return { ok: true, channelId: inc.channelId, invited, missing };
}
