// The state a Slack workspace keeps, and the Web API methods that read and change it.
// Handlers return the success body (without `ok`) or throw SlackMethodError with Slack's own error name.
import { checkMessage, checkView } from "./block-limits.js";

export const BOT_USER_ID = "UBOT";
export const BOT_ID = "BBOT";
export const TEAM_ID = "T0001";
export const APP_ID = "A0001";
const TEAM_DOMAIN = "fake-workspace";
const PERMALINK_HOST = "https://fake.slack.test";
/** Slack lets a trigger_id open a view for about three seconds. */
const TRIGGER_TTL_MS = 3000;

export class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

export interface TextInfo {
  value: string;
  creator: string;
  last_set: number;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_archived: boolean;
  created: number;
  creator: string;
  topic: TextInfo;
  purpose: TextInfo;
  /** User ids; includes the bot user when the bot is a member. */
  members: string[];
  /** For DMs: the other user. */
  user?: string;
}

export interface FakeReaction {
  name: string;
  users: string[];
  count: number;
}

export interface FakeMessage {
  type: "message";
  ts: string;
  channel: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: any[];
  attachments?: any[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  files?: Array<Record<string, unknown>>;
  reactions?: FakeReaction[];
  edited?: { user: string; ts: string };
  subtype?: string;
}

export interface FakePin {
  channel: string;
  ts: string;
  created: number;
  created_by: string;
}

export interface FakeFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  bytes?: Buffer;
  /** Channels the file was shared into by files.completeUploadExternal. */
  channels: string[];
  initialComment?: string;
  completed: boolean;
}

export interface FakeBookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji?: string;
  type: string;
  date_created: number;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name: string;
  email?: string;
  tz: string;
  is_bot?: boolean;
}

export type Ephemeral =
  | {
      via: "chat.postEphemeral";
      at: number;
      channel: string;
      user: string;
      text?: string;
      blocks?: any[];
      thread_ts?: string;
      message_ts: string;
    }
  | { via: "response_url"; at: number; id: string; body: Record<string, any> };

export interface HandlerContext {
  method: string;
  strictBlocks: boolean;
  now: () => number;
  /** Records a Block Kit problem (always), and says whether the call must fail. */
  reportViolations: (method: string, errors: string[]) => boolean;
  uploadUrl: (fileId: string) => string;
}

type Args = Record<string, any>;
type Handler = (args: Args, ctx: HandlerContext) => Record<string, unknown>;

const CHANNEL_NAME = /^[a-z0-9_-]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

/** Everything the fake remembers like a workspace would; survives `reset()` of the recorded calls. */
export class FakeWorkspace {
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, FakeMessage[]>();
  readonly pins = new Map<string, FakePin[]>();
  readonly bookmarks = new Map<string, FakeBookmark[]>();
  readonly files = new Map<string, FakeFile>();
  readonly views = new Map<string, Record<string, any>>();
  readonly homeViews = new Map<string, Record<string, any>>();
  readonly users = new Map<string, FakeUser>();
  readonly ephemerals: Ephemeral[] = [];
  private readonly dms = new Map<string, string>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private seq = { C: 0, D: 0, G: 0, V: 0, F: 0, Bk: 0, ts: 0, trigger: 0, hash: 0 };

  constructor() {
    this.users.set(BOT_USER_ID, {
      id: BOT_USER_ID,
      name: "incident-bot",
      real_name: "Incident Bot",
      tz: "UTC",
      is_bot: true,
    });
  }

  // ---------- ids and lookups ----------

  private nextId(prefix: "C" | "D" | "G" | "V" | "F" | "Bk"): string {
    this.seq[prefix] += 1;
    return `${prefix}${String(this.seq[prefix]).padStart(4, "0")}`;
  }

  /** Message timestamps: unique and increasing, "1700000000.000100", "1700000000.000200", ... */
  nextTs(): string {
    this.seq.ts += 1;
    const micros = this.seq.ts * 100;
    return `${1_700_000_000 + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  /** A trigger_id the fake knows; views.open rejects it after 3 s or a second use, like Slack. */
  issueTrigger(now: number): string {
    this.seq.trigger += 1;
    const id = `${Math.floor(now / 1000)}.${this.seq.trigger}.${Math.random().toString(16).slice(2, 14)}`;
    this.triggers.set(id, { issuedAt: now, used: false });
    return id;
  }

  channelByName(name: string): FakeChannel | undefined {
    const bare = name.replace(/^#/, "");
    for (const c of this.channels.values()) if (c.name === bare) return c;
    return undefined;
  }

  /** Makes sure a channel exists (e.g. the one a slash command came from), adding members if given. */
  ensureChannel(opts: { id: string; name?: string; isPrivate?: boolean; members?: string[] }): FakeChannel {
    let ch = this.channels.get(opts.id);
    if (!ch) {
      ch = this.newChannel(opts.id, opts.name ?? opts.id.toLowerCase(), opts.isPrivate ?? false, 0);
      this.channels.set(ch.id, ch);
      this.messages.set(ch.id, []);
    }
    for (const m of opts.members ?? []) if (!ch.members.includes(m)) ch.members.push(m);
    return ch;
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    const full: FakeUser = { ...this.synthUser(user.id), ...user };
    this.users.set(full.id, full);
    return full;
  }

  user(id: string): FakeUser | undefined {
    if (this.users.has(id)) return this.users.get(id);
    return USER_ID.test(id) ? this.synthUser(id) : undefined;
  }

  private synthUser(id: string): FakeUser {
    const name = id.toLowerCase();
    return { id, name, real_name: `User ${id}`, email: `${name}@fake.slack.test`, tz: "UTC" };
  }

  private newChannel(id: string, name: string, isPrivate: boolean, now: number): FakeChannel {
    const created = Math.floor(now / 1000);
    return {
      id,
      name,
      is_private: isPrivate,
      is_im: false,
      is_mpim: false,
      is_archived: false,
      created,
      creator: BOT_USER_ID,
      topic: { value: "", creator: "", last_set: 0 },
      purpose: { value: "", creator: "", last_set: 0 },
      members: [],
    };
  }

  /** Resolves a `channel` argument: an id, a `#name`, or a user id (which posts to the DM). */
  private resolveChannel(ref: unknown, now: number): FakeChannel {
    if (typeof ref !== "string" || ref === "") throw new SlackMethodError("channel_not_found");
    const ch = this.channels.get(ref) ?? this.channelByName(ref);
    if (ch) return ch;
    if (USER_ID.test(ref)) return this.openDm(ref, now);
    throw new SlackMethodError("channel_not_found");
  }

  private openDm(userId: string, now: number): FakeChannel {
    const existing = this.dms.get(userId);
    if (existing) return this.channels.get(existing)!;
    const ch = this.newChannel(this.nextId("D"), userId, true, now);
    ch.is_im = true;
    ch.user = userId;
    ch.members = [BOT_USER_ID, userId];
    this.channels.set(ch.id, ch);
    this.messages.set(ch.id, []);
    this.dms.set(userId, ch.id);
    return ch;
  }

  private findMessage(channel: FakeChannel, ts: unknown): FakeMessage {
    const msg = this.messages.get(channel.id)?.find((m) => m.ts === ts);
    if (!msg) throw new SlackMethodError("message_not_found");
    return msg;
  }

  channelJson(ch: FakeChannel): Record<string, unknown> {
    const base: Record<string, unknown> = {
      id: ch.id,
      created: ch.created,
      is_archived: ch.is_archived,
      is_im: ch.is_im,
      is_org_shared: false,
      context_team_id: TEAM_ID,
    };
    if (ch.is_im) return { ...base, user: ch.user, is_user_deleted: false, priority: 0 };
    return {
      ...base,
      name: ch.name,
      name_normalized: ch.name,
      is_channel: !ch.is_private && !ch.is_mpim,
      is_group: ch.is_private && !ch.is_mpim,
      is_mpim: ch.is_mpim,
      is_private: ch.is_private,
      is_general: false,
      is_shared: false,
      is_ext_shared: false,
      is_member: ch.members.includes(BOT_USER_ID),
      creator: ch.creator,
      unlinked: 0,
      topic: { ...ch.topic },
      purpose: { ...ch.purpose },
      num_members: ch.members.length,
    };
  }

  private messageJson(m: FakeMessage, withMetadata = true): Record<string, unknown> {
    const { channel: _channel, metadata, ...rest } = m;
    const out: Record<string, unknown> = { ...rest, team: TEAM_ID };
    if (withMetadata && metadata) out.metadata = metadata;
    return structuredClone(out);
  }

  private checkBlocks(ctx: HandlerContext, payload: { text?: unknown; blocks?: unknown; attachments?: unknown }) {
    if (typeof payload.blocks === "string") throw new SlackMethodError("invalid_blocks_format");
    const errors = checkMessage(payload);
    if (ctx.reportViolations(ctx.method, errors)) {
      throw new SlackMethodError("invalid_blocks", { errors, response_metadata: { messages: errors.map(tagError) } });
    }
  }

  private checkViewArg(ctx: HandlerContext, view: unknown): Record<string, any> {
    if (view === undefined || view === null || view === "") throw new SlackMethodError("invalid_arguments");
    if (typeof view === "string") throw new SlackMethodError("invalid_arguments", { errors: ["view is not JSON"] });
    const errors = checkView(view);
    if (ctx.reportViolations(ctx.method, errors)) {
      throw new SlackMethodError("invalid_arguments", {
        errors,
        response_metadata: { messages: errors.map(tagError) },
      });
    }
    return view as Record<string, any>;
  }

  private useTrigger(triggerId: unknown, now: number): void {
    if (typeof triggerId !== "string" || triggerId === "") throw new SlackMethodError("invalid_arguments");
    const t = this.triggers.get(triggerId);
    if (!t) return; // a trigger the fake did not issue: accepted, so hand-written tests stay simple
    if (t.used) throw new SlackMethodError("exchanged_trigger_id");
    if (now - t.issuedAt > TRIGGER_TTL_MS) throw new SlackMethodError("expired_trigger_id");
    t.used = true;
  }

  /** Stores a view under a new id, or under `keep.id` when an existing view is replaced. */
  private storeView(view: Record<string, any>, now: number, keep: { id?: string; root_view_id?: string } = {}) {
    const id = keep.id ?? this.nextId("V");
    const stored = {
      id,
      team_id: TEAM_ID,
      type: view.type,
      title: view.title,
      submit: view.submit ?? null,
      close: view.close ?? null,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? "",
      callback_id: view.callback_id ?? "",
      external_id: view.external_id ?? "",
      state: { values: {} },
      hash: `${Math.floor(now / 1000)}.${++this.seq.hash}`, // changes on every update, like Slack's
      clear_on_close: Boolean(view.clear_on_close),
      notify_on_close: Boolean(view.notify_on_close),
      root_view_id: keep.root_view_id ?? id,
      previous_view_id: null,
      app_id: APP_ID,
      app_installed_team_id: TEAM_ID,
      bot_id: BOT_ID,
    };
    this.views.set(id, stored);
    return stored;
  }

  // ---------- the methods ----------

  readonly handlers: Record<string, Handler> = {
    "api.test": (args) => ({ args }),

    "auth.test": () => ({
      url: `${PERMALINK_HOST}/`,
      team: "Fake Workspace",
      user: "incident-bot",
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),

    "team.info": () => ({
      team: { id: TEAM_ID, name: "Fake Workspace", domain: TEAM_DOMAIN, email_domain: "", icon: {} },
    }),

    "users.info": (args) => {
      const user = typeof args.user === "string" ? this.user(args.user) : undefined;
      if (!user) throw new SlackMethodError("user_not_found");
      return { user: userJson(user) };
    },

    "users.lookupByEmail": (args) => {
      const email = String(args.email ?? "").toLowerCase();
      if (!email) throw new SlackMethodError("invalid_arguments");
      for (const u of this.users.values()) if (u.email?.toLowerCase() === email) return { user: userJson(u) };
      const synthetic = /^([uw][a-z0-9]+)@fake\.slack\.test$/.exec(email);
      if (synthetic) return { user: userJson(this.user(synthetic[1].toUpperCase())!) };
      throw new SlackMethodError("users_not_found");
    },

    "conversations.create": (args, ctx) => {
      const name = typeof args.name === "string" ? args.name : "";
      if (name === "") throw new SlackMethodError("invalid_name_required");
      if (name.length > 80) throw new SlackMethodError("invalid_name_maxlength");
      if (!CHANNEL_NAME.test(name)) throw new SlackMethodError("invalid_name_specials");
      if (/^[-_]+$/.test(name)) throw new SlackMethodError("invalid_name_punctuation");
      if (this.channelByName(name)) throw new SlackMethodError("name_taken");
      const ch = this.newChannel(this.nextId("C"), name, bool(args.is_private), ctx.now());
      ch.members.push(BOT_USER_ID);
      this.channels.set(ch.id, ch);
      this.messages.set(ch.id, []);
      return { channel: this.channelJson(ch) };
    },

    "conversations.info": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      return { channel: this.channelJson(ch) };
    },

    "conversations.list": (args) => {
      const types = new Set(String(args.types ?? "public_channel").split(","));
      const excludeArchived = bool(args.exclude_archived);
      const all = [...this.channels.values()].filter((ch) => {
        if (excludeArchived && ch.is_archived) return false;
        if (ch.is_im) return types.has("im");
        if (ch.is_mpim) return types.has("mpim");
        return types.has(ch.is_private ? "private_channel" : "public_channel");
      });
      const { items, next } = paginate(all, args);
      return { channels: items.map((ch) => this.channelJson(ch)), response_metadata: { next_cursor: next } };
    },

    "conversations.members": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const { items, next } = paginate(ch.members, args);
      return { members: items, response_metadata: { next_cursor: next } };
    },

    "conversations.history": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_private && !ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
      const withMetadata = bool(args.include_all_metadata);
      const inclusive = bool(args.inclusive);
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      const oldest = args.oldest === undefined ? 0 : Number(args.oldest);
      const top = (this.messages.get(ch.id) ?? [])
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast")
        .filter((m) => {
          const t = Number(m.ts);
          return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
        })
        .reverse();
      const { items, next } = paginate(top, args);
      return {
        messages: items.map((m) => this.messageJson(m, withMetadata)),
        has_more: next !== "",
        pin_count: this.pins.get(ch.id)?.length ?? 0,
        response_metadata: { next_cursor: next },
      };
    },

    // A thread by its parent's ts or any reply's ts: the parent first, then the replies oldest first (both
    // kept out of conversations.history unless broadcast). oldest/latest narrow the replies, not the parent.
    "conversations.replies": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_private && !ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
      const all = this.messages.get(ch.id) ?? [];
      const hit = nonEmpty(args.ts) ? all.find((m) => m.ts === String(args.ts)) : undefined;
      if (!hit) throw new SlackMethodError("thread_not_found");
      const parentTs = hit.thread_ts ?? hit.ts;
      const parent = all.find((m) => m.ts === parentTs);
      if (!parent) throw new SlackMethodError("thread_not_found"); // a reply whose parent was deleted
      const inclusive = bool(args.inclusive);
      const latest = args.latest === undefined ? Number.POSITIVE_INFINITY : Number(args.latest);
      const oldest = args.oldest === undefined ? 0 : Number(args.oldest);
      const replies = all
        .filter((m) => m !== parent && m.thread_ts === parentTs)
        .filter((m) => {
          const t = Number(m.ts);
          return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
        });
      const { items, next } = paginate([parent, ...replies], { ...args, limit: args.limit ?? 1000 });
      return {
        messages: items.map((m) => this.messageJson(m, bool(args.include_all_metadata))),
        has_more: next !== "",
        response_metadata: { next_cursor: next },
      };
    },

    "conversations.invite": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      if (ch.is_im) throw new SlackMethodError("method_not_supported_for_channel_type");
      const users = String(args.users ?? "")
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackMethodError("no_user");
      if (users.length > 1000) throw new SlackMethodError("too_many_users");
      if (users.includes(BOT_USER_ID)) throw new SlackMethodError("cant_invite_self");
      if (users.some((u) => !this.user(u))) throw new SlackMethodError("user_not_found");
      if (!ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
      const fresh = users.filter((u) => !ch.members.includes(u));
      if (fresh.length === 0) throw new SlackMethodError("already_in_channel");
      ch.members.push(...fresh);
      return { channel: this.channelJson(ch) };
    },

    "conversations.kick": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (args.user === BOT_USER_ID) throw new SlackMethodError("cant_kick_self");
      if (typeof args.user !== "string" || !this.user(args.user)) throw new SlackMethodError("user_not_found");
      if (!ch.members.includes(args.user)) throw new SlackMethodError("not_in_channel");
      ch.members = ch.members.filter((m) => m !== args.user);
      return {};
    },

    "conversations.join": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_private || ch.is_im) throw new SlackMethodError("method_not_supported_for_channel_type");
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      const already = ch.members.includes(BOT_USER_ID);
      if (!already) ch.members.push(BOT_USER_ID);
      return already
        ? {
            channel: this.channelJson(ch),
            warning: "already_in_channel",
            response_metadata: { warnings: ["already_in_channel"] },
          }
        : { channel: this.channelJson(ch) };
    },

    "conversations.setTopic": (args, ctx) => this.setText(args, ctx, "topic"),
    "conversations.setPurpose": (args, ctx) => this.setText(args, ctx, "purpose"),

    "conversations.archive": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_im) throw new SlackMethodError("method_not_supported_for_channel_type");
      if (ch.is_archived) throw new SlackMethodError("already_archived");
      if (!ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
      ch.is_archived = true;
      return {};
    },

    "conversations.unarchive": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (!ch.is_archived) throw new SlackMethodError("not_archived");
      ch.is_archived = false;
      return {};
    },

    "conversations.open": (args, ctx) => {
      if (typeof args.channel === "string" && args.channel) {
        return { channel: this.channelJson(this.resolveChannel(args.channel, ctx.now())) };
      }
      const users = String(args.users ?? "")
        .split(",")
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) throw new SlackMethodError("users_list_not_supplied");
      if (users.some((u) => !this.user(u))) throw new SlackMethodError("user_not_found");
      if (users.length > 8) throw new SlackMethodError("too_many_users");
      const already = users.length === 1 && this.dms.has(users[0]);
      const ch = users.length === 1 ? this.openDm(users[0], ctx.now()) : this.openMpim(users, ctx.now());
      return already ? { channel: { id: ch.id }, already_open: true, no_op: true } : { channel: { id: ch.id } };
    },

    "chat.postMessage": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      if (ch.is_private && !ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
      const hasContent = nonEmpty(args.text) || nonEmptyArray(args.blocks) || nonEmptyArray(args.attachments);
      if (!hasContent) throw new SlackMethodError("no_text");
      this.checkBlocks(ctx, args);
      const msg: FakeMessage = {
        type: "message",
        ts: this.nextTs(),
        channel: ch.id,
        user: BOT_USER_ID,
        bot_id: BOT_ID,
        text: typeof args.text === "string" ? args.text : "",
      };
      if (args.blocks !== undefined) msg.blocks = args.blocks;
      if (args.attachments !== undefined) msg.attachments = args.attachments;
      if (args.metadata !== undefined) msg.metadata = args.metadata;
      if (nonEmpty(args.thread_ts)) this.addReply(ch, String(args.thread_ts), msg, bool(args.reply_broadcast));
      this.messages.get(ch.id)!.push(msg);
      return { channel: ch.id, ts: msg.ts, message: this.messageJson(msg) };
    },

    "chat.update": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      const msg = this.findMessage(ch, args.ts);
      if (msg.user !== BOT_USER_ID) throw new SlackMethodError("cant_update_message");
      if (!nonEmpty(args.text) && args.blocks === undefined && args.attachments === undefined) {
        throw new SlackMethodError("no_text");
      }
      this.checkBlocks(ctx, args);
      if (args.text !== undefined) msg.text = String(args.text);
      if (args.blocks !== undefined) msg.blocks = args.blocks;
      if (args.attachments !== undefined) msg.attachments = args.attachments;
      if (args.metadata !== undefined) msg.metadata = args.metadata;
      return { channel: ch.id, ts: msg.ts, text: msg.text, message: this.messageJson(msg) };
    },

    "chat.delete": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.ts);
      if (msg.user !== BOT_USER_ID) throw new SlackMethodError("cant_delete_message");
      this.messages.set(
        ch.id,
        this.messages.get(ch.id)!.filter((m) => m !== msg),
      );
      this.pins.set(
        ch.id,
        (this.pins.get(ch.id) ?? []).filter((p) => p.ts !== msg.ts),
      );
      return { channel: ch.id, ts: msg.ts };
    },

    "chat.postEphemeral": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      if (typeof args.user !== "string" || !this.user(args.user)) throw new SlackMethodError("user_not_found");
      if (!ch.is_im && !ch.members.includes(args.user)) throw new SlackMethodError("user_not_in_channel");
      const hasContent = nonEmpty(args.text) || nonEmptyArray(args.blocks) || nonEmptyArray(args.attachments);
      if (!hasContent) throw new SlackMethodError("no_text");
      this.checkBlocks(ctx, args);
      const messageTs = this.nextTs();
      this.ephemerals.push({
        via: "chat.postEphemeral",
        at: ctx.now(),
        channel: ch.id,
        user: args.user,
        text: args.text,
        blocks: args.blocks,
        thread_ts: args.thread_ts,
        message_ts: messageTs,
      });
      return { message_ts: messageTs };
    },

    "chat.getPermalink": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.message_ts);
      const base = `${PERMALINK_HOST}/archives/${ch.id}/p${msg.ts.replace(".", "")}`;
      const inThread = msg.thread_ts && msg.thread_ts !== msg.ts;
      return { channel: ch.id, permalink: inThread ? `${base}?thread_ts=${msg.thread_ts}&cid=${ch.id}` : base };
    },

    "pins.add": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.timestamp);
      const pins = this.pins.get(ch.id) ?? [];
      if (pins.some((p) => p.ts === msg.ts)) throw new SlackMethodError("already_pinned");
      if (pins.length >= 100) throw new SlackMethodError("too_many_pins");
      pins.push({ channel: ch.id, ts: msg.ts, created: Math.floor(ctx.now() / 1000), created_by: BOT_USER_ID });
      this.pins.set(ch.id, pins);
      return {};
    },

    "pins.remove": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const pins = this.pins.get(ch.id) ?? [];
      if (!pins.some((p) => p.ts === args.timestamp)) throw new SlackMethodError("no_pin");
      this.pins.set(
        ch.id,
        pins.filter((p) => p.ts !== args.timestamp),
      );
      return {};
    },

    "pins.list": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const items = (this.pins.get(ch.id) ?? []).map((p) => ({
        type: "message",
        channel: ch.id,
        created: p.created,
        created_by: p.created_by,
        message: this.messageJson(this.findMessage(ch, p.ts)),
      }));
      return { items };
    },

    "reactions.add": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.timestamp);
      const name = String(args.name ?? "").replace(/^:|:$/g, "");
      if (!/^[a-z0-9_+'-]+$/.test(name)) throw new SlackMethodError("invalid_name");
      msg.reactions ??= [];
      let r = msg.reactions.find((x) => x.name === name);
      if (!r) msg.reactions.push((r = { name, users: [], count: 0 }));
      if (r.users.includes(BOT_USER_ID)) throw new SlackMethodError("already_reacted");
      r.users.push(BOT_USER_ID);
      r.count = r.users.length;
      return {};
    },

    "reactions.remove": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.timestamp);
      const r = msg.reactions?.find((x) => x.name === args.name);
      if (!r?.users.includes(BOT_USER_ID)) throw new SlackMethodError("no_reaction");
      r.users = r.users.filter((u) => u !== BOT_USER_ID);
      r.count = r.users.length;
      if (r.count === 0) msg.reactions = msg.reactions!.filter((x) => x !== r);
      return {};
    },

    "reactions.get": (args, ctx) => {
      const ch = this.resolveChannel(args.channel, ctx.now());
      const msg = this.findMessage(ch, args.timestamp);
      return { type: "message", channel: ch.id, message: this.messageJson(msg) };
    },

    "views.open": (args, ctx) => {
      this.useTrigger(args.trigger_id, ctx.now());
      const view = this.checkViewArg(ctx, args.view);
      return { view: this.storeView(view, ctx.now()) };
    },

    "views.push": (args, ctx) => {
      this.useTrigger(args.trigger_id, ctx.now());
      const view = this.checkViewArg(ctx, args.view);
      return { view: this.storeView(view, ctx.now()) };
    },

    "views.update": (args, ctx) => {
      const existing = this.findView(args);
      if (args.hash !== undefined && args.hash !== existing.hash) throw new SlackMethodError("hash_conflict");
      const view = this.checkViewArg(ctx, args.view);
      return { view: this.storeView(view, ctx.now(), { id: existing.id, root_view_id: existing.root_view_id }) };
    },

    "views.publish": (args, ctx) => {
      if (typeof args.user_id !== "string" || !this.user(args.user_id)) throw new SlackMethodError("invalid_arguments");
      const view = this.checkViewArg(ctx, args.view);
      if (view.type !== "home") throw new SlackMethodError("invalid_arguments", { errors: ["view.type must be home"] });
      const prev = this.homeViews.get(args.user_id);
      if (prev && args.hash !== undefined && args.hash !== prev.hash) throw new SlackMethodError("hash_conflict");
      const stored = this.storeView(view, ctx.now(), prev ? { id: prev.id } : {});
      this.homeViews.set(args.user_id, stored);
      return { view: stored };
    },

    // bookmarks.add / bookmarks.list as Slack documents them: channel_id, title, type=link, link; a channel keeps
    // at most 100 bookmarks; the bot must be in the channel.
    "bookmarks.add": (args, ctx) => {
      const ch = this.bookmarkChannel(args.channel_id);
      if (ch.is_archived) throw new SlackMethodError("is_archived");
      if (!nonEmpty(args.title)) throw new SlackMethodError("invalid_arguments");
      if (args.type !== "link") throw new SlackMethodError("invalid_bookmark_type");
      if (!nonEmpty(args.link) || !isHttpUrl(String(args.link))) throw new SlackMethodError("invalid_link");
      const list = this.bookmarks.get(ch.id) ?? [];
      if (list.length >= 100) throw new SlackMethodError("too_many_bookmarks");
      const bookmark: FakeBookmark = {
        id: this.nextId("Bk"),
        channel_id: ch.id,
        title: String(args.title),
        link: String(args.link),
        emoji: args.emoji,
        type: "link",
        date_created: Math.floor(ctx.now() / 1000),
      };
      list.push(bookmark);
      this.bookmarks.set(ch.id, list);
      return { bookmark: { ...bookmark, date_updated: 0, entity_id: null, rank: String(list.length) } };
    },

    "bookmarks.list": (args) => {
      const ch = this.bookmarkChannel(args.channel_id);
      return { bookmarks: (this.bookmarks.get(ch.id) ?? []).map((b) => ({ ...b, date_updated: 0, entity_id: null })) };
    },

    "files.getUploadURLExternal": (args, ctx) => {
      const length = Number(args.length);
      if (!nonEmpty(args.filename) || !Number.isInteger(length) || length <= 0) {
        throw new SlackMethodError("invalid_arguments");
      }
      const id = this.nextId("F");
      this.files.set(id, { id, filename: String(args.filename), length, channels: [], completed: false });
      return { upload_url: ctx.uploadUrl(id), file_id: id };
    },

    "files.completeUploadExternal": (args, ctx) => {
      const list = args.files;
      if (!Array.isArray(list) || list.length === 0) throw new SlackMethodError("invalid_arguments");
      const files = list.map((f: Record<string, any>) => {
        const file = this.files.get(f?.id);
        if (!file || file.bytes === undefined) throw new SlackMethodError("file_not_found");
        return { file, title: typeof f.title === "string" ? f.title : file.filename };
      });
      const channelId = args.channel_id ?? args.channels;
      const ch = channelId ? this.resolveChannel(String(channelId).split(",")[0], ctx.now()) : undefined;
      if (ch?.is_archived) throw new SlackMethodError("is_archived");
      for (const { file, title } of files) {
        file.title = title;
        file.completed = true;
        file.initialComment = args.initial_comment;
        if (ch) file.channels.push(ch.id);
      }
      if (ch) {
        const msg: FakeMessage = {
          type: "message",
          ts: this.nextTs(),
          channel: ch.id,
          user: BOT_USER_ID,
          bot_id: BOT_ID,
          text: typeof args.initial_comment === "string" ? args.initial_comment : "",
          files: files.map(({ file }) => fileJson(file)),
        };
        if (nonEmpty(args.thread_ts)) this.addReply(ch, String(args.thread_ts), msg, false);
        this.messages.get(ch.id)!.push(msg);
      }
      return { files: files.map(({ file }) => ({ id: file.id, title: file.title })) };
    },
  };

  /** A message a person wrote (the Web API only posts as the bot); with `threadTs` a reply in that thread. */
  userMessage(opts: { channel: string; user: string; text: string; threadTs?: string; broadcast?: boolean }): FakeMessage {
    const ch = this.resolveChannel(opts.channel, Date.now());
    const msg: FakeMessage = { type: "message", ts: this.nextTs(), channel: ch.id, user: opts.user, text: opts.text };
    if (opts.threadTs) this.addReply(ch, opts.threadTs, msg, Boolean(opts.broadcast));
    this.messages.get(ch.id)!.push(msg);
    return msg;
  }

  /** Stores bytes POSTed to an upload URL; false when the file id is unknown. */
  receiveUpload(fileId: string, bytes: Buffer): boolean {
    const file = this.files.get(fileId);
    if (!file) return false;
    file.bytes = bytes;
    return true;
  }

  private setText(args: Args, ctx: HandlerContext, field: "topic" | "purpose") {
    const ch = this.resolveChannel(args.channel, ctx.now());
    if (ch.is_archived) throw new SlackMethodError("is_archived");
    const value = String(args[field] ?? "");
    if (value.length > 250) throw new SlackMethodError("too_long");
    ch[field] = { value, creator: BOT_USER_ID, last_set: Math.floor(ctx.now() / 1000) };
    return { channel: this.channelJson(ch) };
  }

  private addReply(ch: FakeChannel, threadTs: string, reply: FakeMessage, broadcast: boolean) {
    const parent = this.messages.get(ch.id)?.find((m) => m.ts === threadTs);
    // Slack answers ok for an unknown thread_ts; the reply is then simply not attached to anything.
    reply.thread_ts = threadTs;
    if (broadcast) reply.subtype = "thread_broadcast";
    if (!parent) return;
    parent.thread_ts = parent.ts;
    parent.reply_count = (parent.reply_count ?? 0) + 1;
    parent.latest_reply = reply.ts;
    parent.reply_users = [...new Set([...(parent.reply_users ?? []), reply.user])];
  }

  private openMpim(users: string[], now: number): FakeChannel {
    const key = [BOT_USER_ID, ...users].sort().join(",");
    const existing = this.dms.get(key);
    if (existing) return this.channels.get(existing)!;
    const ch = this.newChannel(this.nextId("G"), `mpdm-${key.replace(/,/g, "--").toLowerCase()}-1`, true, now);
    ch.is_mpim = true;
    ch.members = key.split(",");
    this.channels.set(ch.id, ch);
    this.messages.set(ch.id, []);
    this.dms.set(key, ch.id);
    return ch;
  }

  /** The channel a bookmarks.* call names by `channel_id` (an id only): it must exist and have the bot in it. */
  private bookmarkChannel(ref: unknown): FakeChannel {
    const ch = typeof ref === "string" ? this.channels.get(ref) : undefined;
    if (!ch) throw new SlackMethodError("channel_not_found");
    if (!ch.is_im && !ch.members.includes(BOT_USER_ID)) throw new SlackMethodError("not_in_channel");
    return ch;
  }

  private findView(args: Args): Record<string, any> {
    if (!nonEmpty(args.view_id) && !nonEmpty(args.external_id)) throw new SlackMethodError("invalid_arguments");
    for (const v of this.views.values()) {
      if (v.id === args.view_id || (nonEmpty(args.external_id) && v.external_id === args.external_id)) return v;
    }
    throw new SlackMethodError("not_found");
  }
}

function userJson(u: FakeUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: TEAM_ID,
    name: u.name,
    real_name: u.real_name,
    deleted: false,
    tz: u.tz,
    tz_label: u.tz === "UTC" ? "Coordinated Universal Time" : u.tz,
    tz_offset: 0,
    is_bot: Boolean(u.is_bot),
    is_admin: false,
    profile: { real_name: u.real_name, display_name: u.name, email: u.email, team: TEAM_ID },
  };
}

function fileJson(f: FakeFile): Record<string, unknown> {
  return {
    id: f.id,
    name: f.filename,
    title: f.title,
    size: f.bytes?.length ?? f.length,
    user: BOT_USER_ID,
    url_private: `${PERMALINK_HOST}/files-pri/${TEAM_ID}-${f.id}/${encodeURIComponent(f.filename)}`,
    permalink: `${PERMALINK_HOST}/files/${BOT_USER_ID}/${f.id}/${encodeURIComponent(f.filename)}`,
  };
}

function tagError(e: string): string {
  return `[ERROR] ${e}`;
}

/** Form bodies carry "true"/"1"; JSON bodies carry booleans. */
export function bool(v: unknown): boolean {
  return v === true || v === "true" || v === "1" || v === 1;
}

function nonEmpty(v: unknown): boolean {
  return typeof v === "string" ? v.length > 0 : v !== undefined && v !== null;
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

function nonEmptyArray(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : typeof v === "string" && v.length > 0;
}

/** Slack-style cursor pagination: the cursor is opaque base64 of an offset. */
function paginate<T>(all: T[], args: Args): { items: T[]; next: string } {
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
  let offset = 0;
  if (nonEmpty(args.cursor)) {
    const decoded = /^next:(\d+)$/.exec(Buffer.from(String(args.cursor), "base64").toString("utf8"));
    if (!decoded) throw new SlackMethodError("invalid_cursor");
    offset = Number(decoded[1]);
  }
  const items = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(`next:${offset + limit}`).toString("base64") : "";
  return { items, next };
}
