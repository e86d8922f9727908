import type { AppContext } from "../context.js";

/** How long a channel's member list is trusted before Slack is asked again. */
const MEMBERS_TTL_MS = 60_000;
const MAX_CACHED = 2_000;
/** conversations.members calls in flight at once for one list (Tier 4; the gateway paces and retries). */
const MEMBERS_AT_ONCE = 8;

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

  /**
   * Which of these private channels the user is in: asked a few at a time (each channel once per TTL, whoever views),
   * so drawing the list costs one conversations.members per private incident a minute, not one per row per view.
   */
  async memberOf(channelIds: readonly string[], userId: string): Promise<string[]> {
    const out: string[] = [];
    const queue = [...new Set(channelIds)];
    const worker = async () => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) if (await this.isMember(c, userId)) out.push(c);
    };
    await Promise.all(Array.from({ length: Math.min(MEMBERS_AT_ONCE, queue.length) }, worker));
    return out.sort();
  }

  /** May this user see this incident? Public ones: anyone signed in; private ones: its channel's members. */
  async maySee(inc: { isPrivate: boolean; channelId: string | null }, userId: string): Promise<boolean> {
    if (!inc.isPrivate) return true;
    if (!inc.channelId) return false;
    return this.isMember(inc.channelId, userId);
  }
}
