import { z } from "zod";
import { wellFormedJson } from "../text/well-formed.js";

// What Slack sends to /slack/events, checked at the edge before Bolt or a listener reads any of it. Only the
// fields our listeners and Bolt's routing read are checked; everything else passes through. NUL and lone
// surrogates in any string become U+FFFD (the database refuses them), the same cleaning as the alert routes.

const id = z.string().min(1).max(255);
const text = z.string().max(100_000);
const entity = z.looseObject({ id });

export const SlashCommandSchema = z.looseObject({
  command: z.string().regex(/^\/\S{1,64}$/),
  text: text.default(""),
  user_id: id,
  channel_id: id,
  team_id: z.string().max(255).optional(),
  trigger_id: z.string().max(255).optional(),
  response_url: z.string().max(2000).optional(),
});

const ActionSchema = z.looseObject({
  action_id: id,
  type: z.string().max(100).optional(),
  block_id: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  selected_user: z.string().max(255).nullable().optional(),
  selected_option: z
    .looseObject({ value: z.string().max(2000) })
    .nullable()
    .optional(),
  selected_options: z.array(z.looseObject({ value: z.string().max(2000) })).optional(),
});

const StateValuesSchema = z.record(z.string(), z.record(z.string(), z.looseObject({ type: z.string().optional() })));

const ViewSchema = z.looseObject({
  id: z.string().max(255).optional(),
  type: z.string().max(50).optional(),
  callback_id: z.string().max(255).optional(),
  private_metadata: z.string().max(3000).optional(),
  state: z.looseObject({ values: StateValuesSchema }).optional(),
});

const MessageSchema = z.looseObject({ ts: z.string().max(64).optional(), text: text.optional(), user: z.string().max(255).optional() });

const idRef = z.looseObject({ id: z.string().max(255).optional() });
/** Fields Bolt itself reads on any body before routing it (its context: team, enterprise, response urls). */
const boltReads = {
  team: idRef.nullable().optional(),
  enterprise: idRef.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  response_urls: z.array(z.looseObject({ response_url: z.string().max(2000).optional() })).optional(),
  function_data: z.looseObject({}).optional(),
  bot_access_token: z.string().max(500).optional(),
  authorizations: z.array(z.looseObject({})).optional(),
};

const interactive = {
  ...boltReads,
  user: entity,
  // Bolt reads `channel.id` whenever `channel` is present: null is not a channel.
  channel: entity.optional(),
  trigger_id: z.string().max(255).optional(),
  response_url: z.string().max(2000).optional(),
};

export const InteractionSchema = z.discriminatedUnion("type", [
  z.looseObject({
    type: z.literal("block_actions"),
    ...interactive,
    actions: z.array(ActionSchema).min(1).max(50),
    message: MessageSchema.optional(),
    view: ViewSchema.optional(),
  }),
  z.looseObject({ type: z.literal("view_submission"), ...interactive, view: ViewSchema.extend({ id, callback_id: id }) }),
  z.looseObject({ type: z.literal("view_closed"), ...interactive, view: ViewSchema.extend({ id, callback_id: id }) }),
  z.looseObject({
    type: z.enum(["shortcut", "message_action", "block_suggestion"]),
    ...interactive,
    callback_id: z.string().max(255).optional(),
    actions: z.array(ActionSchema).max(50).optional(),
  }),
]);

const user = z.string().min(1).max(255);
const ts = z.string().min(1).max(64);

/** The events our listeners read, with the fields they read; other event types only need a `type`. */
const KNOWN_EVENTS = {
  app_home_opened: z.looseObject({ user, tab: z.string().max(50).optional() }),
  reaction_added: z.looseObject({
    user,
    reaction: z.string().min(1).max(255),
    item_user: z.string().max(255).optional(),
    item: z.looseObject({ type: z.string().max(50), channel: z.string().max(255).optional(), ts: ts.optional() }),
  }),
  pin_added: z.looseObject({
    user: user.optional(),
    channel_id: z.string().max(255).optional(),
    item: z.looseObject({
      type: z.string().max(50).optional(),
      channel: z.string().max(255).optional(),
      ts: ts.optional(),
      message: MessageSchema.extend({ bot_id: z.string().max(255).optional() }).optional(),
    }),
  }),
  member_joined_channel: z.looseObject({ user, channel: z.string().min(1).max(255) }),
} as const;

/** The event fields Bolt's routing and built-in middleware read on every event, whatever its type. */
const AnyEventSchema = z.looseObject({
  type: z.string().min(1).max(100),
  subtype: z.string().max(100).optional(),
  channel: z
    .union([z.string().max(255), z.looseObject({ id: z.string().max(255).optional(), creator: z.string().max(255).optional() })])
    .optional(),
  channel_id: z.string().max(255).optional(),
  channel_type: z.string().max(50).optional(),
  item: z.looseObject({ channel: z.string().max(255).optional() }).optional(),
  user: z.union([z.string().max(255), idRef]).optional(),
  subteam: z.looseObject({ created_by: z.string().max(255).optional() }).optional(),
  text: text.optional(),
  ts: z.string().max(64).optional(),
  thread_ts: z.string().max(64).optional(),
  bot_id: z.string().max(255).optional(),
  message: z.looseObject({ thread_ts: z.string().max(64).optional() }).optional(),
  previous_message: z.looseObject({ thread_ts: z.string().max(64).optional() }).optional(),
  assistant_thread: z.looseObject({ channel_id: z.string().max(255).optional(), thread_ts: z.string().max(64).optional() }).optional(),
});

export const EventCallbackSchema = z.looseObject({
  type: z.literal("event_callback"),
  ...boltReads,
  team_id: z.string().max(255).optional(),
  enterprise_id: z.string().max(255).nullable().optional(),
  event_id: z.string().max(255).optional(),
  event: AnyEventSchema,
});

export const UrlVerificationSchema = z.looseObject({ type: z.literal("url_verification"), challenge: z.string().max(1000) });

export type SlackPayload =
  | { kind: "command"; body: z.infer<typeof SlashCommandSchema> }
  | { kind: "interaction"; body: z.infer<typeof InteractionSchema> }
  | { kind: "event"; body: z.infer<typeof EventCallbackSchema> }
  | { kind: "url_verification"; challenge: string }
  | { kind: "ssl_check" }
  /** Slack telling us something (e.g. `app_rate_limited`): answered, nothing to do. */
  | { kind: "notice"; body: Record<string, unknown> };

export type PayloadIssue = { path: string; message: string };
export type ParsedPayload = { ok: true; payload: SlackPayload } | { ok: false; error: string; issues?: PayloadIssue[] };

/**
 * Parses a verified request body: a form (slash commands, `ssl_check`), a form with a JSON `payload`
 * (interactivity) or JSON (Events API), then checks it with `checkSlackBody`.
 */
export function parseSlackBody(rawBody: string, contentType: string | undefined): ParsedPayload {
  const type = contentType?.split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(rawBody);
    if (form.get("ssl_check") === "1") return { ok: true, payload: { kind: "ssl_check" } };
    const payload = form.get("payload");
    if (payload === null) return check("command", SlashCommandSchema, wellFormedJson(Object.fromEntries(form)));
    const parsed = parseJson(payload);
    return parsed.ok ? checkSlackBody(parsed.value, "interaction") : { ok: false, error: `payload is not JSON: ${parsed.message}` };
  }
  if (type === "application/json") {
    const parsed = parseJson(rawBody);
    return parsed.ok ? checkSlackBody(parsed.value) : { ok: false, error: `body is not JSON: ${parsed.message}` };
  }
  return { ok: false, error: `unsupported content type ${JSON.stringify(contentType ?? "")}: Slack sends a form or JSON` };
}

/**
 * Checks a parsed body (HTTP, or a Socket Mode envelope's payload): a slash command, an interaction, an
 * Events API callback or URL verification. `expect` narrows it when the transport already says which.
 */
export function checkSlackBody(parsed: unknown, expect?: "interaction"): ParsedPayload {
  const value = wellFormedJson(parsed);
  if (!isObject(value)) return { ok: false, error: "malformed Slack payload: expected a JSON object" };
  if (expect !== "interaction") {
    if (value.type === "url_verification") {
      const r = UrlVerificationSchema.safeParse(value);
      return r.success ? { ok: true, payload: { kind: "url_verification", challenge: r.data.challenge } } : invalid(r.error);
    }
    if (value.type === "event_callback") return checkEvent(value);
    if (value.type === "app_rate_limited") return { ok: true, payload: { kind: "notice", body: value } };
    if (typeof value.command === "string") return check("command", SlashCommandSchema, value);
  }
  return check("interaction", InteractionSchema, value);
}

function checkEvent(value: Record<string, unknown>): ParsedPayload {
  const envelope = EventCallbackSchema.safeParse(value);
  if (!envelope.success) return invalid(envelope.error);
  const schema = KNOWN_EVENTS[envelope.data.event.type as keyof typeof KNOWN_EVENTS];
  if (schema) {
    const event = schema.safeParse(envelope.data.event);
    if (!event.success) return invalid(event.error, "event");
  }
  return { ok: true, payload: { kind: "event", body: envelope.data } };
}

function check<K extends "command" | "interaction">(kind: K, schema: z.ZodType, value: unknown): ParsedPayload {
  const r = schema.safeParse(value);
  if (!r.success) return invalid(r.error);
  return { ok: true, payload: { kind, body: r.data } as SlackPayload };
}

function invalid(error: z.ZodError, prefix?: string): ParsedPayload {
  const issues = error.issues.slice(0, 10).map((i) => ({
    path: [...(prefix ? [prefix] : []), ...i.path.map(String)].join("."),
    message: i.message,
  }));
  return { ok: false, error: `malformed Slack payload: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`, issues };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, message: (e as Error).message.slice(0, 200) };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The workspace a payload comes from, wherever its type keeps it. */
export function teamOf(payload: SlackPayload): string | undefined {
  if (payload.kind === "command") return payload.body.team_id || undefined;
  if (payload.kind === "event") return payload.body.team_id || undefined;
  if (payload.kind === "interaction") {
    const b = payload.body as { team?: { id?: string } | null; user?: { team_id?: string } };
    return b.team?.id || b.user?.team_id || undefined;
  }
  return undefined;
}
