import { onCallInvitedMessage, onCallLookupFailedMessage } from "../../../blocks/outreach.js";
import type { AppContext } from "../../context.js";
import { inviteOnCall } from "../../oncall/invite-on-call.js";

/** Job `oncallInvite`: invites who is on call (domain part in src/oncall) and tells the channel whom, or why not. */
export async function runOnCallInvite(ctx: AppContext, incidentId: number): Promise<void> {
  const facts = await inviteOnCall(ctx, incidentId);
  if (!facts) return;
  await ctx.chat.post(
    facts.channelId,
    facts.ok ? onCallInvitedMessage(facts.invited, facts.missing) : onCallLookupFailedMessage(facts.error, facts.responders),
  );
}
