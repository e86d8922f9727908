import type { HomeView, KnownBlock, MessageMetadata, ModalView } from "@slack/web-api";

/**
 * What the domain needs from a chat platform. Only src/slack/gateway.ts implements it; domain code imports
 * no Slack runtime, only Slack's published block and view types (built by blocks/), so tsc checks their shape.
 */
export type Blocks = KnownBlock[];

export interface ChatMessage {
  text: string; // fallback text: always set (notifications, screen readers)
  blocks?: Blocks;
  metadata?: MessageMetadata;
  threadTs?: string;
}

export interface ChatPort {
  createChannel(name: string, isPrivate: boolean): Promise<{ id: string; name: string }>;
  findChannelByName(name: string): Promise<{ id: string; name: string } | null>;
  invite(channelId: string, userIds: string[]): Promise<void>;
  setTopic(channelId: string, topic: string): Promise<void>;
  post(channelId: string, message: ChatMessage): Promise<{ ts: string; channel: string }>;
  update(channelId: string, ts: string, message: ChatMessage): Promise<void>;
  pin(channelId: string, ts: string): Promise<void>;
  postEphemeral(channelId: string, userId: string, message: ChatMessage): Promise<void>;
  permalink(channelId: string, ts: string): Promise<string | null>;
  /** Recent messages with their metadata: used to find a message posted before a crash. */
  recentMessages(
    channelId: string,
    limit: number,
  ): Promise<{ ts: string; text?: string; metadata?: { event_type: string; event_payload: Record<string, unknown> } }[]>;
  openDm(userId: string): Promise<string>;
  archive(channelId: string): Promise<void>;
  openView(triggerId: string, view: ModalView): Promise<void>;
  publishHome(userId: string, view: HomeView): Promise<void>;
  uploadFile(input: {
    channelId: string;
    filename: string;
    title: string;
    content: string;
    initialComment?: string;
  }): Promise<{ fileId: string }>;
  /** One message by its ts (conversations.history, then conversations.replies for a thread reply); null when it is gone. */
  /** Every member's user id (the web view shows a private incident only to its channel's members). */
  channelMembers(channelId: string): Promise<string[]>;
  fetchMessage(channelId: string, ts: string): Promise<{ ts: string; text: string; user?: string; botId?: string } | null>;
  /** A member's name as Slack shows it (users.info: display name, else real name), cached; null when Slack knows no such user. */
  userName(userId: string): Promise<string | null>;
  /** The workspace member with this email (users.lookupByEmail); null when there is none. */
  lookupUserByEmail(email: string): Promise<string | null>;
  /** A member's email from their profile (users.info); null when it is not shown or there is no such member. */
  userEmail(userId: string): Promise<string | null>;
  /** Adds a link bookmark to a channel (bookmarks.add, type link); returns Slack's bookmark id. */
  addBookmark(channelId: string, bookmark: { title: string; link: string }): Promise<{ id: string }>;
  /** The channel's bookmarks (bookmarks.list): how a bookmark added before a crash is found again. */
  listBookmarks(channelId: string): Promise<{ id: string; title: string; link: string }[]>;
}

/** A Slack call failed. `code` is Slack's error string (name_taken, channel_not_found, …) or http_<status>. */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    readonly method: string,
    readonly retryable: boolean,
  ) {
    super(`${method} failed: ${code}`);
  }
}
