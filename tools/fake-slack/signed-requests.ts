// Plays Slack towards the app: signed slash commands, interactivity payloads and Events API callbacks
// POSTed to `${appUrl}/slack/events`, shaped like the ones Slack sends.
import { createHmac, randomBytes } from "node:crypto";
import type { FakeSlack } from "./server.js";
import { APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID } from "./workspace.js";

export interface SignedHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${rawBody}`).
 * `timestamp` is in epoch seconds (default: now).
 */
export function sign(signingSecret: string, body: string, timestamp: number = Math.floor(Date.now() / 1000)): SignedHeaders {
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestamp) };
}

export interface SlackSenderOptions {
  /** Where the app listens, e.g. http://127.0.0.1:3000 */
  appUrl: string;
  signingSecret: string;
  /** When given: response_urls and trigger_ids come from it, and channels/messages/views are looked up in it. */
  fake?: FakeSlack;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** Path of the app's Slack endpoint (default /slack/events). */
  path?: string;
}

export interface SentResponse {
  status: number;
  body: string;
  /** Round trip in ms. */
  ms: number;
  /** The response_url sent with the request, if any. */
  responseUrl?: string;
  /** The trigger_id sent with the request, if any. */
  triggerId?: string;
}

export interface CommandContext {
  userId: string;
  channelId: string;
  channelName?: string;
  userName?: string;
  triggerId?: string;
}

export type SelectedOption = string | { value: string; text?: string };

export interface BlockActionInput {
  userId: string;
  channelId?: string;
  messageTs?: string;
  actionId: string;
  blockId?: string;
  value?: string;
  selectedUser?: string;
  selectedOption?: SelectedOption;
  triggerId?: string;
  /** The view the action happened in (modal or Home); an id known to the fake, or a view object. */
  view?: string | Record<string, any>;
}

/** Simple values for view_submission; an object with `type` is passed through as Slack's own shape. */
export type InputValue =
  | string
  | { user: string }
  | { users: string[] }
  | { option: SelectedOption }
  | { options: SelectedOption[] }
  | { date: string }
  | { type: string; [key: string]: unknown };

export interface ViewSubmissionInput {
  userId: string;
  callbackId: string;
  privateMetadata?: string;
  /** `{ [blockId]: { [actionId]: value } }` */
  values: Record<string, Record<string, InputValue>>;
  viewId?: string;
  triggerId?: string;
}

export interface EventOptions {
  eventId?: string;
  eventTime?: number;
  retryNum?: number;
  retryReason?: string;
}

export interface SlackSender {
  command(command: string, text: string, ctx: CommandContext): Promise<SentResponse>;
  blockAction(input: BlockActionInput): Promise<SentResponse>;
  viewSubmission(input: ViewSubmissionInput): Promise<SentResponse>;
  event(event: Record<string, unknown>, opts?: EventOptions): Promise<SentResponse>;
  /** Signs and POSTs any body; `headers` win over the computed ones (e.g. a bad signature). */
  raw(body: string, contentType: string, headers?: Record<string, string>): Promise<SentResponse>;
  /** sign() with this sender's secret. */
  sign(body: string, timestamp?: number): SignedHeaders;
}

const VERIFICATION_TOKEN = "fake-verification-token";

export function slackSender(opts: SlackSenderOptions): SlackSender {
  const teamId = opts.teamId ?? TEAM_ID;
  const teamDomain = opts.teamDomain ?? "fake-workspace";
  const apiAppId = opts.apiAppId ?? APP_ID;
  const endpoint = new URL(opts.path ?? "/slack/events", opts.appUrl).toString();
  const fake = opts.fake;
  let seq = 0;

  const triggerId = (given?: string) =>
    given ?? fake?.issueTriggerId() ?? `${Math.floor(Date.now() / 1000)}.${++seq}.${randomBytes(6).toString("hex")}`;
  const responseUrl = () => fake?.responseUrl() ?? `https://hooks.slack.test/commands/${teamId}/${++seq}/${hex()}`;
  const user = (id: string, name?: string) => ({
    id,
    username: name ?? id.toLowerCase(),
    name: name ?? id.toLowerCase(),
    team_id: teamId,
  });
  const team = { id: teamId, domain: teamDomain };
  const actionTs = () => (Date.now() / 1000).toFixed(6);

  async function post(body: string, contentType: string, headers: Record<string, string> = {}): Promise<SentResponse> {
    const started = performance.now();
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": contentType, ...sign(opts.signingSecret, body), ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text, ms: Math.round(performance.now() - started) };
  }

  const postForm = (fields: Record<string, string>) => post(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded");
  const postPayload = (payload: Record<string, unknown>) => postForm({ payload: JSON.stringify(payload) });

  function viewObject(view: string | Record<string, any> | undefined): Record<string, any> | undefined {
    if (view === undefined) return undefined;
    if (typeof view !== "string") return view;
    return fake?.view(view) ?? { id: view, type: "modal", team_id: teamId, blocks: [], state: { values: {} } };
  }

  return {
    sign: (body, timestamp) => sign(opts.signingSecret, body, timestamp),

    raw: (body, contentType, headers) => post(body, contentType, headers),

    async command(command, text, ctx) {
      const channel = fake?.ensureChannel({ id: ctx.channelId, name: ctx.channelName, members: [ctx.userId] });
      const url = responseUrl();
      const trigger = triggerId(ctx.triggerId);
      const res = await postForm({
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        team_domain: teamDomain,
        channel_id: ctx.channelId,
        channel_name: ctx.channelName ?? channel?.name ?? "general",
        user_id: ctx.userId,
        user_name: ctx.userName ?? ctx.userId.toLowerCase(),
        command,
        text,
        api_app_id: apiAppId,
        is_enterprise_install: "false",
        response_url: url,
        trigger_id: trigger,
      });
      return { ...res, responseUrl: url, triggerId: trigger };
    },

    async blockAction(input) {
      const view = viewObject(input.view);
      const stored = input.channelId && input.messageTs ? fake?.messages(input.channelId).find((m) => m.ts === input.messageTs) : undefined;
      const blockId = input.blockId ?? findBlockId(view?.blocks ?? stored?.blocks, input.actionId) ?? "block";
      const action: Record<string, unknown> = { action_id: input.actionId, block_id: blockId, action_ts: actionTs() };
      if (input.selectedUser !== undefined) Object.assign(action, { type: "users_select", selected_user: input.selectedUser });
      else if (input.selectedOption !== undefined) {
        Object.assign(action, { type: "static_select", selected_option: option(input.selectedOption) });
      } else
        Object.assign(action, {
          type: "button",
          text: { type: "plain_text", text: input.actionId },
          value: input.value,
        });

      const trigger = triggerId(input.triggerId);
      const payload: Record<string, unknown> = {
        type: "block_actions",
        user: user(input.userId),
        api_app_id: apiAppId,
        token: VERIFICATION_TOKEN,
        trigger_id: trigger,
        team,
        enterprise: null,
        is_enterprise_install: false,
        state: { values: {} },
        actions: [action],
      };
      let url: string | undefined;
      if (view) {
        payload.container = { type: "view", view_id: view.id };
        payload.view = view;
      } else {
        url = responseUrl();
        const ts = input.messageTs ?? "";
        payload.container = { type: "message", message_ts: ts, channel_id: input.channelId, is_ephemeral: false };
        payload.channel = {
          id: input.channelId,
          name: (input.channelId && fake?.channel(input.channelId)?.name) ?? "",
        };
        payload.message = stored
          ? {
              type: "message",
              user: stored.user,
              bot_id: stored.bot_id,
              ts,
              text: stored.text,
              blocks: stored.blocks ?? [],
            }
          : { type: "message", user: BOT_USER_ID, bot_id: BOT_ID, ts, text: "", blocks: [] };
        payload.response_url = url;
      }
      const res = await postPayload(payload);
      return { ...res, responseUrl: url, triggerId: trigger };
    },

    async viewSubmission(input) {
      const known = input.viewId ? fake?.view(input.viewId) : undefined;
      const viewId = input.viewId ?? `V${hex().toUpperCase()}`;
      const trigger = triggerId(input.triggerId);
      const payload = {
        type: "view_submission",
        team,
        user: user(input.userId),
        api_app_id: apiAppId,
        token: VERIFICATION_TOKEN,
        trigger_id: trigger,
        view: {
          id: viewId,
          team_id: teamId,
          type: "modal",
          blocks: known?.blocks ?? [],
          title: known?.title ?? { type: "plain_text", text: "Modal" },
          submit: known?.submit ?? { type: "plain_text", text: "Submit" },
          close: known?.close ?? null,
          private_metadata: input.privateMetadata ?? known?.private_metadata ?? "",
          callback_id: input.callbackId,
          state: { values: stateValues(input.values, known?.blocks) },
          hash: known?.hash ?? `${Math.floor(Date.now() / 1000)}.${hex()}`,
          clear_on_close: false,
          notify_on_close: false,
          previous_view_id: null,
          root_view_id: known?.root_view_id ?? viewId,
          app_id: apiAppId,
          external_id: known?.external_id ?? "",
          app_installed_team_id: teamId,
          bot_id: BOT_ID,
        },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      const res = await postPayload(payload);
      return { ...res, triggerId: trigger };
    },

    event(event, eventOpts = {}) {
      const eventTime = eventOpts.eventTime ?? Math.floor(Date.now() / 1000);
      const envelope = {
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        api_app_id: apiAppId,
        event: { event_ts: `${eventTime}.000100`, ...event },
        type: "event_callback",
        event_id: eventOpts.eventId ?? `Ev${hex().toUpperCase()}`,
        event_time: eventTime,
        authorizations: [{ enterprise_id: null, team_id: teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      };
      const headers: Record<string, string> = {};
      if (eventOpts.retryNum !== undefined) {
        // Slack's own redelivery marks: the app should ack retries without redoing the work.
        headers["x-slack-retry-num"] = String(eventOpts.retryNum);
        headers["x-slack-retry-reason"] = eventOpts.retryReason ?? "http_timeout";
      }
      return post(JSON.stringify(envelope), "application/json", headers);
    },
  };
}

function hex(): string {
  return randomBytes(5).toString("hex");
}

function option(o: SelectedOption): { text: { type: "plain_text"; text: string; emoji: boolean }; value: string } {
  const { value, text } = typeof o === "string" ? { value: o, text: o } : { value: o.value, text: o.text ?? o.value };
  return { text: { type: "plain_text", text, emoji: true }, value };
}

/** The block_id of the block holding an element with this action_id, if the blocks are known. */
function findBlockId(blocks: unknown, actionId: string): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks) {
    const elements = [b?.accessory, b?.element, ...(Array.isArray(b?.elements) ? b.elements : [])];
    if (elements.some((e) => e?.action_id === actionId)) return b.block_id;
  }
  return undefined;
}

/** Element types from the view's blocks, when known, so a plain string becomes the right shape. */
function elementType(blocks: unknown, blockId: string, actionId: string): string | undefined {
  if (!Array.isArray(blocks)) return undefined;
  const block = blocks.find((b) => b?.block_id === blockId);
  const el = block?.element;
  return el?.action_id === actionId ? el.type : undefined;
}

function stateValues(values: ViewSubmissionInput["values"], blocks: unknown): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    out[blockId] = {};
    for (const [actionId, v] of Object.entries(actions)) {
      out[blockId][actionId] = stateValue(v, elementType(blocks, blockId, actionId));
    }
  }
  return out;
}

function stateValue(v: InputValue, knownType: string | undefined): Record<string, unknown> {
  if (typeof v === "string") {
    if (knownType === "static_select") return { type: knownType, selected_option: option(v) };
    if (knownType === "users_select") return { type: knownType, selected_user: v };
    if (knownType === "datepicker") return { type: knownType, selected_date: v };
    return { type: knownType ?? "plain_text_input", value: v };
  }
  if ("type" in v) return { ...v };
  if ("user" in v) return { type: "users_select", selected_user: v.user };
  if ("users" in v) return { type: "multi_users_select", selected_users: v.users };
  if ("option" in v) return { type: "static_select", selected_option: option(v.option) };
  if ("options" in v) return { type: "multi_static_select", selected_options: v.options.map(option) };
  return { type: "datepicker", selected_date: v.date };
}
