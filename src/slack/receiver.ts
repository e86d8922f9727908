import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { readBodyCapped } from "../http/body.js";
import { type Route, sendJson } from "../http/routes.js";
import type { Logger } from "../logger.js";
import { parseSlackBody, teamOf } from "./payloads.js";

/** Slack's requests are small; a view submission with every field filled stays far below this. */
export const MAX_SLACK_BODY_BYTES = 1_048_576;
/** The signature's timestamp may be this far from now, either way (Slack's own rule is five minutes). */
export const SIGNATURE_WINDOW_SECONDS = 300;
/** Slack waits 3 s for the answer; a listener that has not acked by then gets an empty 200 just before. */
const ACK_DEADLINE_MS = 2_900;

export const SLACK_EVENTS_PATH = "/slack/events";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export interface SlackReceiverOptions {
  signingSecret: string;
  /** SLACK_TEAM_ID: requests from any other workspace, or naming none, are refused. */
  teamId?: string;
  log: Logger;
}

/**
 * Bolt's receiver for `POST /slack/events`, served by the app's own HTTP server (src/http/server.ts) as one
 * of its routes. Every request is checked here before Bolt sees it: body size, the v0 signature within
 * ±5 minutes, the body's shape (src/slack/payloads.ts) and the workspace. Bad input is answered with a
 * 4xx JSON body; only a checked payload reaches Bolt's listeners.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  constructor(private readonly opts: SlackReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }
  // The HTTP server belongs to the app (it also serves alerts and health): nothing to start or stop here.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  route(): Route {
    return { path: SLACK_EVENTS_PATH, method: ["POST"], handler: (req, res) => this.handle(req, res) };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: Buffer;
    try {
      const read = await readBodyCapped(req, MAX_SLACK_BODY_BYTES);
      if (read.tooLarge) return sendJson(res, 413, { error: `body too large: the limit is ${MAX_SLACK_BODY_BYTES} bytes` });
      raw = read.body;
    } catch {
      return; // the sender went away mid-body: nobody to answer
    }
    const verdict = this.verify(req.headers, raw);
    if (verdict) {
      this.opts.log.warn({ reason: verdict }, "Slack request refused");
      return sendJson(res, 401, { error: verdict });
    }
    let text: string;
    try {
      text = utf8.decode(raw);
    } catch {
      return sendJson(res, 400, { error: "body is not valid UTF-8" });
    }
    const parsed = parseSlackBody(text, headerOf(req.headers, "content-type"));
    if (!parsed.ok) {
      this.opts.log.warn({ error: parsed.error }, "malformed Slack payload refused");
      return sendJson(res, 400, { error: parsed.error, ...(parsed.issues ? { issues: parsed.issues } : {}) });
    }
    const { payload } = parsed;
    if (payload.kind === "ssl_check" || payload.kind === "notice") return void res.writeHead(200).end();
    if (payload.kind === "url_verification") return sendJson(res, 200, { challenge: payload.challenge });

    if (this.opts.teamId) {
      const team = teamOf(payload);
      if (team !== this.opts.teamId) {
        this.opts.log.warn({ team: team ?? null }, "request from another workspace refused");
        // A slash command's answer is shown to the person; anything else just gets a clear refusal.
        if (payload.kind === "command")
          return sendJson(res, 200, { response_type: "ephemeral", text: "This app is not enabled for this workspace." });
        return sendJson(res, 403, { error: team ? "this app is not enabled for this workspace" : "the request names no workspace" });
      }
    }
    await this.dispatch(payload.body, req, res);
  }

  /** undefined when the request is Slack's: the v0 HMAC of `v0:<timestamp>:<body>`, the timestamp within the window. */
  private verify(headers: IncomingMessage["headers"], raw: Buffer): string | undefined {
    const signature = headerOf(headers, "x-slack-signature");
    const timestamp = headerOf(headers, "x-slack-request-timestamp");
    if (!signature || !timestamp) return "missing Slack signature headers";
    if (!/^\d{1,12}$/.test(timestamp)) return "invalid x-slack-request-timestamp";
    const now = Math.floor(Date.now() / 1000);
    if (Math.abs(now - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return "x-slack-request-timestamp is outside the 5-minute window";
    const m = /^v0=([0-9a-f]{64})$/.exec(signature);
    if (!m) return "invalid x-slack-signature";
    const expected = createHmac("sha256", this.opts.signingSecret).update(`v0:${timestamp}:`).update(raw).digest();
    if (!timingSafeEqual(Buffer.from(m[1]!, "hex"), expected)) return "signature mismatch";
    return undefined;
  }

  private async dispatch(body: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let acked = false;
    const answer = (response?: unknown) => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      if (response === undefined || response === "") return void res.writeHead(200).end();
      if (typeof response === "string") return void res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(response);
      sendJson(res, 200, response);
    };
    // Slack shows an error for an unanswered request; a listener that never acks still gets an empty 200.
    const timer = setTimeout(() => {
      if (!acked) this.opts.log.warn("a Slack request was not acknowledged in time; answered with an empty 200");
      answer();
    }, ACK_DEADLINE_MS);
    timer.unref();
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        // Past the deadline the empty 200 has gone out: what the listener does next still happens.
        if (acked) return void this.opts.log.debug("late or second ack ignored");
        answer(response);
      },
      retryNum: retryNum(headerOf(req.headers, "x-slack-retry-num")),
      retryReason: headerOf(req.headers, "x-slack-retry-reason"),
      customProperties: {},
    };
    try {
      await this.app!.processEvent(event);
    } catch (err) {
      this.opts.log.error({ err }, "a Slack listener failed");
      answer(); // Slack retries events that get a 5xx: a failure of ours must not repeat side effects
    }
  }
}

function headerOf(headers: IncomingMessage["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function retryNum(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,4}$/.test(v)) return undefined;
  return Number(v);
}
