import type { AppContext } from "../context.js";

/** How long a channel's member list is trusted before Slack is asked again. */
const MEMBERS_TTL_MS = 60_000;
const MAX_CACHED = 2_000;

/**
 * Who may see a private incident: members of its channel (conversations.members), cached briefly per channel
 * so a page of private incidents costs one Slack call per channel a minute, not one per view.
 */
export class ChannelAccess {
  private readonly cache = new Map<string, { members: Set<string>; at: number }>();

  constructor(private readonly ctx: AppContext) {}

  /** False when Slack cannot tell us (an error is treated as "not a member": nothing private leaks). */
  async isMember(channelId: string, userId: string): Promise<boolean> {
    const nowMs = Date.now();
    let hit = this.cache.get(channelId);
    if (!hit || nowMs - hit.at > MEMBERS_TTL_MS) {
      try {
        hit = { members: new Set(await this.ctx.chat.channelMembers(channelId)), at: nowMs };
      } catch (err) {
        this.ctx.log.warn({ err, channelId }, "conversations.members failed: private incident hidden");
        return false;
      }
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(channelId, hit);
    }
    return hit.members.has(userId);
  }

  /** May this user see this incident? Public ones: anyone signed in; private ones: its channel's members. */
  async maySee(inc: { isPrivate: boolean; channelId: string | null }, userId: string): Promise<boolean> {
    if (!inc.isPrivate) return true;
    if (!inc.channelId) return false;
    return this.isMember(inc.channelId, userId);
  }
}
