import Bottleneck from "bottleneck";
import {
  ErrorCode,
  LogLevel,
  WebClient,
  type AuthTestArguments,
  type BookmarksAddArguments,
  type BookmarksAddResponse,
  type BookmarksListArguments,
  type BookmarksListResponse,
  type AuthTestResponse,
  type ChatGetPermalinkArguments,
  type ChatGetPermalinkResponse,
  type ChatPostEphemeralArguments,
  type ChatPostEphemeralResponse,
  type ChatPostMessageArguments,
  type ChatPostMessageResponse,
  type ChatUpdateArguments,
  type ChatUpdateResponse,
  type ConversationsArchiveArguments,
  type ConversationsArchiveResponse,
  type ConversationsCreateArguments,
  type ConversationsCreateResponse,
  type ConversationsHistoryArguments,
  type ConversationsHistoryResponse,
  type ConversationsInviteArguments,
  type ConversationsInviteResponse,
  type ConversationsListArguments,
  type ConversationsListResponse,
  type ConversationsMembersArguments,
  type ConversationsMembersResponse,
  type ConversationsOpenArguments,
  type ConversationsOpenResponse,
  type ConversationsRepliesArguments,
  type ConversationsRepliesResponse,
  type ConversationsSetTopicArguments,
  type UsersInfoArguments,
  type UsersInfoResponse,
  type UsersLookupByEmailArguments,
  type UsersLookupByEmailResponse,
  type ConversationsSetTopicResponse,
  type FilesCompleteUploadExternalArguments,
  type FilesCompleteUploadExternalResponse,
  type FilesGetUploadURLExternalArguments,
  type FilesGetUploadURLExternalResponse,
  type HomeView,
  type KnownBlock,
  type ModalView,
  type PinsAddArguments,
  type PinsAddResponse,
  type ViewsOpenArguments,
  type ViewsOpenResponse,
  type ViewsPublishArguments,
  type ViewsPublishResponse,
} from "@slack/web-api";
import { packLines, section } from "../../blocks/text.js";
import { ChatError, type ChatMessage, type ChatPort } from "../chat/port.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import type { SharedPacer } from "./shared-pacing.js";

/** A call answered 429 this many times in a row fails (its job retries it later). */
const RATE_LIMITED_ATTEMPTS = 10;

/**
 * Slack's published rate tiers (calls per minute per workspace) for the methods we use. Pacing spreads a
 * burst (50 declarations in a minute) under these limits instead of tripping 429s; it is off against the
 * test fake. chat.postMessage is limited per channel (about one per second), handled separately.
 */
const TIER_PER_MINUTE: Record<string, number> = {
  "conversations.create": 20,
  "conversations.setTopic": 20,
  "conversations.archive": 20,
  "conversations.list": 20,
  "conversations.members": 100,
  "pins.add": 20,
  "bookmarks.add": 20,
  "bookmarks.list": 50,
  "conversations.invite": 50,
  "conversations.history": 50,
  "conversations.replies": 50,
  "conversations.open": 50,
  "chat.update": 50,
  "chat.getPermalink": 100,
  "users.lookupByEmail": 100, // Tier 3 (50+), cached by the on-call lookup
  "users.info": 100, // Tier 4: names in the review, a Jira assignee's email
  "reactions.add": 50,
  "views.publish": 100,
  "files.getUploadURLExternal": 20,
  "files.completeUploadExternal": 20,
};

export interface GatewayOptions {
  token: string;
  apiUrl: string;
  pacing: boolean;
  log: Logger;
  metrics: Metrics;
  /** Retries of 5xx / network errors inside one call; 429 always waits Retry-After. */
  retries?: number;
  /** Length of a rate window (default one minute); tests shrink it to check pacing without waiting. */
  pacingWindowMs?: number;
  /** Replicas on PostgreSQL: budgets shared through the database instead of this process's Bottleneck. */
  sharedPacer?: SharedPacer;
}

/**
 * The Web API methods the bot calls, each with @slack/web-api's own argument and response types: a
 * misspelt method, a wrong argument or a misread response field fails tsc instead of failing in Slack.
 */
export interface SlackMethods {
  "auth.test": [AuthTestArguments, AuthTestResponse];
  "bookmarks.add": [BookmarksAddArguments, BookmarksAddResponse];
  "bookmarks.list": [BookmarksListArguments, BookmarksListResponse];
  "chat.getPermalink": [ChatGetPermalinkArguments, ChatGetPermalinkResponse];
  "chat.postEphemeral": [ChatPostEphemeralArguments, ChatPostEphemeralResponse];
  "chat.postMessage": [ChatPostMessageArguments, ChatPostMessageResponse];
  "chat.update": [ChatUpdateArguments, ChatUpdateResponse];
  "conversations.archive": [ConversationsArchiveArguments, ConversationsArchiveResponse];
  "conversations.create": [ConversationsCreateArguments, ConversationsCreateResponse];
  "conversations.history": [ConversationsHistoryArguments, ConversationsHistoryResponse];
  "conversations.invite": [ConversationsInviteArguments, ConversationsInviteResponse];
  "conversations.list": [ConversationsListArguments, ConversationsListResponse];
  "conversations.members": [ConversationsMembersArguments, ConversationsMembersResponse];
  "conversations.open": [ConversationsOpenArguments, ConversationsOpenResponse];
  "conversations.replies": [ConversationsRepliesArguments, ConversationsRepliesResponse];
  "conversations.setTopic": [ConversationsSetTopicArguments, ConversationsSetTopicResponse];
  "files.completeUploadExternal": [FilesCompleteUploadExternalArguments, FilesCompleteUploadExternalResponse];
  "files.getUploadURLExternal": [FilesGetUploadURLExternalArguments, FilesGetUploadURLExternalResponse];
  "pins.add": [PinsAddArguments, PinsAddResponse];
  "views.open": [ViewsOpenArguments, ViewsOpenResponse];
  "views.publish": [ViewsPublishArguments, ViewsPublishResponse];
  "users.lookupByEmail": [UsersLookupByEmailArguments, UsersLookupByEmailResponse];
  "users.info": [UsersInfoArguments, UsersInfoResponse];
}
export type SlackMethod = keyof SlackMethods;
export type SlackArgs<M extends SlackMethod> = SlackMethods[M][0];
export type SlackResult<M extends SlackMethod> = SlackMethods[M][1];

const USER_NAME_TTL_MS = 60 * 60 * 1000;

const RETRYABLE_SLACK_ERRORS = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

export class SlackGateway implements ChatPort {
  readonly client: WebClient;
  private readonly limiters = new Map<string, Bottleneck>();
  private readonly channelLimiters: Bottleneck.Group | undefined;
  private readonly userNames = new Map<string, { name: string | null; until: number }>();

  constructor(private readonly opts: GatewayOptions) {
    this.client = new WebClient(opts.token, {
      slackApiUrl: opts.apiUrl,
      // Short in-call retries; a call that still fails throws and the durable job retries it later.
      retryConfig: { retries: opts.retries ?? 3, factor: 2, minTimeout: 200, maxTimeout: 5000, randomize: true },
      // 429: alone, the client waits Retry-After and tries again (pausing all its calls); with shared pacing the 429 is
      // handed to call(), which holds the one bucket back for every replica and sends again through it.
      rejectRateLimitedCalls: Boolean(opts.pacing && opts.sharedPacer),
      logLevel: LogLevel.ERROR, // our own metrics and logs cover retries; keep stdout JSON-only
    });
    if (opts.pacing && !opts.sharedPacer) {
      const window = opts.pacingWindowMs ?? 60_000;
      for (const [method, perMinute] of Object.entries(TIER_PER_MINUTE)) {
        this.limiters.set(
          method,
          new Bottleneck({
            reservoir: perMinute,
            reservoirRefreshAmount: perMinute,
            reservoirRefreshInterval: window,
            maxConcurrent: 4,
          }),
        );
      }
      this.channelLimiters = new Bottleneck.Group({ minTime: window / 60, maxConcurrent: 1 });
    }
  }

  /** Every Web API call goes through here: pacing, metrics, and one error type. */
  async call<M extends SlackMethod>(method: M, args: SlackArgs<M>, paceKey?: string): Promise<SlackResult<M>> {
    const started = performance.now();
    // apiCall is the one HTTP path (retries, Retry-After) the typed WebClient methods also use; it takes a
    // plain record, and SlackMethods pins the result type to the method's published response.
    const run = () => this.client.apiCall(method, args as unknown as Record<string, unknown>) as Promise<SlackResult<M>>;
    let limited = run;
    const shared = this.opts.pacing ? this.opts.sharedPacer : undefined;
    if (shared) {
      const windowMs = this.opts.pacingWindowMs ?? 60_000;
      const perMinute = TIER_PER_MINUTE[method];
      limited = async () => {
        for (let attempt = 1; ; attempt++) {
          if (perMinute) await shared.take(method, { perWindow: perMinute, windowMs });
          if (paceKey) await shared.take(`post:${paceKey}`, { perWindow: 60, windowMs });
          try {
            return await run();
          } catch (err) {
            const e = err as { code?: string; retryAfter?: number };
            if (e?.code !== ErrorCode.RateLimitedError || attempt >= RATE_LIMITED_ATTEMPTS) throw err;
            // A 429 (Retry-After) holds the bucket back for every replica, not only the one that got it; the call is
            // sent again through the bucket, so after the pause it queues with the others instead of bunching up.
            const pauseMs = (e.retryAfter ?? 1) * 1000;
            const key = paceKey && method === "chat.postMessage" ? `post:${paceKey}` : perMinute ? method : undefined;
            if (key) await shared.pause(key, pauseMs);
            else await new Promise((r) => setTimeout(r, pauseMs));
          }
        }
      };
    }
    const limiter = this.limiters.get(method);
    if (limiter) limited = () => limiter.schedule(run);
    if (paceKey && this.channelLimiters) {
      const inner = limited;
      limited = () => this.channelLimiters!.key(paceKey).schedule(inner);
    }
    try {
      const result = await limited();
      this.opts.metrics.slackCalls.inc({ method, outcome: "ok" });
      return result;
    } catch (err) {
      const e = toChatError(method, err);
      this.opts.metrics.slackCalls.inc({ method, outcome: e.code });
      throw e;
    } finally {
      this.opts.metrics.slackCallSeconds.observe({ method }, (performance.now() - started) / 1000);
    }
  }

  /** Who the bot is: its bot id and user id (asked once at start-up). */
  async authTest(): Promise<AuthTestResponse> {
    return this.call("auth.test", {});
  }

  async createChannel(name: string, isPrivate: boolean) {
    const r = await this.call("conversations.create", { name, is_private: isPrivate });
    return { id: r.channel!.id!, name: r.channel!.name! };
  }

  async findChannelByName(name: string) {
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await this.call("conversations.list", {
        types: "public_channel,private_channel",
        exclude_archived: false,
        limit: 1000,
        cursor,
      });
      const hit = (r.channels ?? []).find((c) => c.name === name);
      if (hit) return { id: hit.id!, name: hit.name! };
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  }

  async invite(channelId: string, userIds: string[]) {
    if (userIds.length === 0) return;
    try {
      await this.call("conversations.invite", { channel: channelId, users: userIds.join(",") });
    } catch (e) {
      // Already there is success for us; the bot cannot invite itself.
      if (e instanceof ChatError && (e.code === "already_in_channel" || e.code === "cant_invite_self")) return;
      throw e;
    }
  }

  async setTopic(channelId: string, topic: string) {
    await this.call("conversations.setTopic", { channel: channelId, topic: topic.slice(0, 250) });
  }

  async post(channelId: string, m: ChatMessage) {
    const r = await this.call(
      "chat.postMessage",
      {
        channel: channelId,
        text: m.text,
        blocks: m.blocks ?? textBlocks(m.text),
        metadata: m.metadata,
        thread_ts: m.threadTs,
        unfurl_links: false,
      },
      channelId,
    );
    return { ts: r.ts!, channel: r.channel! };
  }

  async update(channelId: string, ts: string, m: ChatMessage) {
    await this.call("chat.update", { channel: channelId, ts, text: m.text, blocks: m.blocks, metadata: m.metadata });
  }

  async pin(channelId: string, ts: string) {
    try {
      await this.call("pins.add", { channel: channelId, timestamp: ts });
    } catch (e) {
      if (e instanceof ChatError && e.code === "already_pinned") return;
      throw e;
    }
  }

  async postEphemeral(channelId: string, userId: string, m: ChatMessage) {
    await this.call("chat.postEphemeral", { channel: channelId, user: userId, text: m.text, blocks: m.blocks });
  }

  async permalink(channelId: string, ts: string) {
    try {
      const r = await this.call("chat.getPermalink", { channel: channelId, message_ts: ts });
      return r.permalink ?? null;
    } catch {
      return null; // a missing permalink never blocks recording the event
    }
  }

  async recentMessages(channelId: string, limit: number) {
    const r = await this.call("conversations.history", { channel: channelId, limit, include_all_metadata: true });
    // Slack always sends ts; the metadata is the MessageMetadata we posted (event_type and event_payload).
    return (r.messages ?? []) as { ts: string; text?: string; metadata?: { event_type: string; event_payload: Record<string, unknown> } }[];
  }

  async openDm(userId: string) {
    const r = await this.call("conversations.open", { users: userId });
    return r.channel!.id!;
  }

  async archive(channelId: string) {
    try {
      await this.call("conversations.archive", { channel: channelId });
    } catch (e) {
      if (e instanceof ChatError && e.code === "already_archived") return;
      throw e;
    }
  }

  async openView(triggerId: string, view: ModalView) {
    await this.call("views.open", { trigger_id: triggerId, view });
  }

  async publishHome(userId: string, view: HomeView) {
    await this.call("views.publish", { user_id: userId, view });
  }

  async uploadFile(input: { channelId: string; filename: string; title: string; content: string; initialComment?: string }) {
    const bytes = Buffer.from(input.content, "utf8");
    const url = await this.call("files.getUploadURLExternal", { filename: input.filename, length: bytes.length });
    const started = performance.now();
    const res = await fetch(url.upload_url!, { method: "POST", body: bytes });
    this.opts.metrics.slackCallSeconds.observe({ method: "files.upload_bytes" }, (performance.now() - started) / 1000);
    if (!res.ok) throw new ChatError(`http_${res.status}`, "files.upload_bytes", res.status >= 500 || res.status === 429);
    await this.call("files.completeUploadExternal", {
      files: [{ id: url.file_id!, title: input.title }],
      channel_id: input.channelId,
      initial_comment: input.initialComment,
    });
    return { fileId: url.file_id! };
  }

  async fetchMessage(channelId: string, ts: string) {
    const r = await this.call("conversations.history", { channel: channelId, latest: ts, inclusive: true, limit: 1 });
    const m = (r.messages ?? [])[0];
    if (m && m.ts === ts) return messageOf(m);
    // Thread replies are not in the channel's history (unless broadcast): ask for the thread by the reply's ts.
    return this.fetchReply(channelId, ts);
  }

  private async fetchReply(channelId: string, ts: string) {
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      let r: ConversationsRepliesResponse;
      try {
        // oldest=ts puts the reply right after the parent on the first page (the parent always comes first).
        r = await this.call("conversations.replies", { channel: channelId, ts, oldest: ts, inclusive: true, limit: 100, cursor });
      } catch (e) {
        if (e instanceof ChatError && (e.code === "thread_not_found" || e.code === "message_not_found")) return null;
        throw e;
      }
      const hit = (r.messages ?? []).find((x) => x.ts === ts);
      if (hit) return messageOf(hit);
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor || r.has_more === false) return null;
    }
    return null;
  }

  /** A member's email (users.info, profile.email: needs the users:read.email scope); null when none is shown or no such user. */
  async userEmail(userId: string) {
    try {
      const r = await this.call("users.info", { user: userId });
      return r.user?.profile?.email ?? null;
    } catch (e) {
      if (e instanceof ChatError && e.code === "user_not_found") return null;
      throw e;
    }
  }

  async userName(userId: string) {
    const cached = this.userNames.get(userId);
    if (cached && cached.until > Date.now()) return cached.name;
    let name: string | null;
    try {
      const r = await this.call("users.info", { user: userId });
      name = r.user?.profile?.display_name || r.user?.real_name || r.user?.name || null;
    } catch (e) {
      if (!(e instanceof ChatError && e.code === "user_not_found")) throw e;
      name = null;
    }
    // Names change rarely: an hour's cache keeps a review with many mentions to one users.info per person.
    this.userNames.set(userId, { name, until: Date.now() + USER_NAME_TTL_MS });
    return name;
  }

  async lookupUserByEmail(email: string) {
    try {
      const r = await this.call("users.lookupByEmail", { email });
      return r.user?.id ?? null;
    } catch (e) {
      if (e instanceof ChatError && e.code === "users_not_found") return null;
      throw e;
    }
  }

  /** Every member of a channel (conversations.members, all pages): the web view shows private incidents only to them. */
  async channelMembers(channelId: string) {
    const members: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const r = await this.call("conversations.members", { channel: channelId, limit: 1000, cursor });
      members.push(...(r.members ?? []));
      cursor = r.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return members;
  }

  async addBookmark(channelId: string, b: { title: string; link: string }) {
    const r = await this.call("bookmarks.add", { channel_id: channelId, type: "link", title: b.title, link: b.link });
    return { id: r.bookmark?.id ?? "" };
  }

  async listBookmarks(channelId: string) {
    const r = await this.call("bookmarks.list", { channel_id: channelId });
    return (r.bookmarks ?? []).map((b) => ({ id: b.id ?? "", title: b.title ?? "", link: b.link ?? "" }));
  }

  async stop() {
    for (const l of this.limiters.values()) await l.stop({ dropWaitingJobs: true }).catch(() => {});
  }
}

/** The fields the port returns, from a history or replies message (both carry ts, text, user, bot_id). */
function messageOf(m: { ts?: string; text?: string; user?: string; bot_id?: string }) {
  return { ts: m.ts!, text: m.text ?? "", user: m.user, botId: m.bot_id };
}

/** Every message carries blocks as well as its text fallback: plain texts become sections. */
function textBlocks(text: string): KnownBlock[] {
  return packLines(text.split("\n")).map((chunk) => section(chunk));
}

function toChatError(method: string, err: unknown): ChatError {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; original?: Error };
  if (e?.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? "unknown_error";
    return new ChatError(code, method, RETRYABLE_SLACK_ERRORS.has(code));
  }
  if (e?.code === ErrorCode.HTTPError) return new ChatError(`http_${e.statusCode ?? "error"}`, method, true);
  if (e?.code === ErrorCode.RateLimitedError) return new ChatError("ratelimited", method, true);
  if (e?.code === ErrorCode.RequestError) {
    // The cause (ECONNREFUSED, ENOTFOUND, …) lets start-up say why Slack is unreachable.
    const ce = new ChatError("network", method, true);
    ce.cause = e.original;
    return ce;
  }
  return new ChatError((err as Error)?.message ?? "unknown_error", method, true);
}
