// A fake Slack Web API on 127.0.0.1 for tests and the offline demo: the real @slack/web-api WebClient
// (and so Bolt) talks to it through `slackApiUrl`. It keeps workspace state, checks Block Kit limits,
// and can inject latency, HTTP failures, Slack errors and hung calls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkMessage } from "./block-limits.js";
import { FakeOpenId } from "./openid.js";
import {
  type Ephemeral,
  type FakeBookmark,
  type FakeChannel,
  type FakeMessage,
  type FakePin,
  type FakeUser,
  FakeWorkspace,
  type HandlerContext,
  SlackMethodError,
} from "./workspace.js";

export {
  APP_ID,
  BOT_ID,
  BOT_USER_ID,
  TEAM_ID,
  type Ephemeral,
  type FakeBookmark,
  type FakeChannel,
  type FakeMessage,
  type FakePin,
  type FakeUser,
} from "./workspace.js";

export interface RecordedCall {
  method: string;
  /** Decoded arguments (JSON-string fields such as blocks/view/files parsed); the token is not kept. */
  args: Record<string, any>;
  /** Epoch ms when the request arrived. */
  at: number;
  /** The JSON body answered (or the plain text of an injected 5xx); undefined while pending. */
  response: any;
  /** HTTP status answered; 0 while pending. */
  status: number;
  /** True until answered (latency, hold). */
  pending: boolean;
  /** True while the call is parked by hold(). */
  held: boolean;
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  /** Bytes POSTed to the upload URL (undefined until then). */
  bytes?: Buffer;
  title?: string;
  /** Channels it was shared into by files.completeUploadExternal. */
  channels: string[];
  initialComment?: string;
  completed: boolean;
}

export interface FakeSlackOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Latency added to every API call, in ms (default 0). */
  latencyMs?: number;
  /** Fail calls with Block Kit violations like Slack does (default true). Violations are recorded either way. */
  strictBlocks?: boolean;
  /** Print one line per call: true → console.log, or a function of your own. */
  log?: boolean | ((line: string) => void);
  /** Called after each API call is answered. */
  onCall?: (call: RecordedCall) => void;
  /**
   * Enforce Slack's per-workspace rate tiers like Slack does: a method called more than `perWindow[method]`
   * times in any `windowMs` gets HTTP 429 `ratelimited` with Retry-After (whole seconds). Off by default.
   */
  tiers?: { windowMs: number; perWindow: Record<string, number> };
  /** Users to know beyond the synthesized ones (any U…/W… id exists, email `<id lowercased>@fake.slack.test`). */
  users?: Array<Partial<FakeUser> & { id: string }>;
}

export type FailStatus = 429 | 500 | 502 | 503;

interface HttpFault {
  kind: "http";
  status: FailStatus;
  retryAfter: number;
  times: number;
}
interface ErrorFault {
  kind: "error";
  error: string;
  times: number;
}
interface Waiter {
  method: string;
  predicate?: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};
// Fields the WebClient JSON-encodes inside form bodies.
const JSON_FIELDS = ["blocks", "attachments", "metadata", "view", "files"];

export class FakeSlack {
  /** The WebSocket URL apps.connections.open hands out (set by a test that runs a Socket Mode server). */
  socketModeUrl: string | undefined;
  readonly calls: RecordedCall[] = [];
  /** Human-readable Block Kit violations seen so far; tests assert it stays empty. */
  readonly violations: string[] = [];
  /** The workspace state, for assertions beyond the accessors below. */
  readonly workspace = new FakeWorkspace();
  /** Sign in with Slack: the authorize page, openid.connect.token / userInfo (tools/fake-slack/openid.ts). */
  readonly openid = new FakeOpenId();
  readonly baseUrl: string;
  readonly apiUrl: string;

  private readonly strictBlocks: boolean;
  private globalLatency: number;
  private readonly latency = new Map<string, number>();
  private readonly faults = new Map<string, Array<HttpFault | ErrorFault>>();
  private readonly holds = new Map<string, Array<(apply: boolean) => void>>();
  private waiters: Waiter[] = [];
  private responseSeq = 0;
  private readonly logLine?: (line: string) => void;

  constructor(
    private readonly server: Server,
    private readonly opts: FakeSlackOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/`;
    this.apiUrl = `${this.baseUrl}api/`;
    this.strictBlocks = opts.strictBlocks ?? true;
    this.globalLatency = opts.latencyMs ?? 0;
    if (opts.log === true) this.logLine = (line) => console.log(line);
    else if (typeof opts.log === "function") this.logLine = opts.log;
    for (const u of opts.users ?? []) this.workspace.addUser(u);
  }

  // ---------- recorded traffic ----------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Forgets recorded calls; workspace state, violations and fault settings stay. */
  reset(): void {
    this.calls.length = 0;
  }

  /**
   * Resolves with the first call to `method` (already made or still to come) that matches `predicate`,
   * once it is answered or parked by hold().
   */
  waitForCall(method: string, predicate?: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const found = this.calls.find((c) => this.settles(c, method, predicate));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.callsTo(method).length;
        reject(new Error(`fake-slack: no matching ${method} call within ${timeoutMs} ms (${seen} calls to it seen)`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private settles(c: RecordedCall, method: string, predicate?: (call: RecordedCall) => boolean): boolean {
    return c.method === method && (!c.pending || c.held) && (!predicate || predicate(c));
  }

  private notify(call: RecordedCall): void {
    const ready = this.waiters.filter((w) => this.settles(call, w.method, w.predicate));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve(call);
  }

  // ---------- fault injection ----------

  /** Latency in ms for every call, or for one method (which then wins over the global value). */
  setLatency(ms: number, method?: string): void {
    if (method === undefined) this.globalLatency = ms;
    else this.latency.set(method, ms);
  }

  private readonly tierCalls = new Map<string, number[]>();

  /** With `tiers`: seconds to wait when this call would exceed its method's tier, else undefined (and counted). */
  private overTier(method: string, at: number): number | undefined {
    const limit = this.opts.tiers?.perWindow[method];
    if (!limit || !this.opts.tiers) return undefined;
    const { windowMs } = this.opts.tiers;
    const seen = (this.tierCalls.get(method) ?? []).filter((t) => at - t < windowMs);
    this.tierCalls.set(method, seen);
    if (seen.length >= limit) return Math.max(1, Math.ceil((seen[0]! + windowMs - at) / 1000));
    seen.push(at);
    return undefined;
  }

  /** The next `times` (default 1) calls to `method` get an HTTP failure; 429s carry `Retry-After`. */
  failNext(method: string, opts: { status: FailStatus; times?: number; retryAfter?: number }): void {
    this.addFault(method, {
      kind: "http",
      status: opts.status,
      retryAfter: opts.retryAfter ?? 1,
      times: opts.times ?? 1,
    });
  }

  /** The next `times` (default 1) calls to `method` answer HTTP 200 `{ ok: false, error }`. */
  failWithError(method: string, error: string, times = 1): void {
    this.addFault(method, { kind: "error", error, times });
  }

  private addFault(method: string, fault: HttpFault | ErrorFault): void {
    const list = this.faults.get(method) ?? [];
    list.push(fault);
    this.faults.set(method, list);
  }

  private takeFault(method: string): HttpFault | ErrorFault | undefined {
    const list = this.faults.get(method);
    const fault = list?.[0];
    if (!list || !fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) list.shift();
    return fault;
  }

  /** Calls to `method` hang (unanswered) until release(method). */
  hold(method: string): void {
    if (!this.holds.has(method)) this.holds.set(method, []);
  }

  /**
   * Stops holding `method` and lets parked calls go on. With `apply` (default) they are processed as if
   * Slack had received them — the effect happens even if the caller has gone away meanwhile;
   * `apply: false` drops them unprocessed.
   */
  release(method: string, opts: { apply?: boolean } = {}): void {
    const parked = this.holds.get(method) ?? [];
    this.holds.delete(method);
    for (const go of parked) go(opts.apply ?? true);
  }

  // ---------- state accessors ----------

  get ephemerals(): Ephemeral[] {
    return this.workspace.ephemerals;
  }

  get uploads(): FakeUpload[] {
    return [...this.workspace.files.values()].map((f) => ({
      fileId: f.id,
      filename: f.filename,
      bytes: f.bytes,
      title: f.title,
      channels: [...f.channels],
      initialComment: f.initialComment,
      completed: f.completed,
    }));
  }

  channel(id: string): FakeChannel | undefined {
    return this.workspace.channels.get(id);
  }

  channelByName(name: string): FakeChannel | undefined {
    return this.workspace.channelByName(name);
  }

  /** All messages of a channel, oldest first, thread replies included. */
  messages(channelId: string): FakeMessage[] {
    return this.workspace.messages.get(channelId) ?? [];
  }

  /** Posts as a person (not the bot), e.g. a thread reply: `{ threadTs }`, shown in the channel too with `broadcast`. */
  userMessage(channelId: string, user: string, text: string, opts: { threadTs?: string; broadcast?: boolean } = {}): FakeMessage {
    return this.workspace.userMessage({ channel: channelId, user, text, ...opts });
  }

  pins(channelId: string): FakePin[] {
    return this.workspace.pins.get(channelId) ?? [];
  }

  bookmarks(channelId: string): FakeBookmark[] {
    return this.workspace.bookmarks.get(channelId) ?? [];
  }

  homeView(userId: string): Record<string, any> | undefined {
    return this.workspace.homeViews.get(userId);
  }

  /** A view opened, pushed or updated through views.*, by id. */
  view(viewId: string): Record<string, any> | undefined {
    return this.workspace.views.get(viewId);
  }

  /** Makes sure a channel exists (e.g. the one a slash command comes from), adding members if given. */
  ensureChannel(opts: { id: string; name?: string; isPrivate?: boolean; members?: string[] }): FakeChannel {
    return this.workspace.ensureChannel(opts);
  }

  addUser(user: Partial<FakeUser> & { id: string }): FakeUser {
    return this.workspace.addUser(user);
  }

  /** A trigger_id that views.open accepts once, within 3 s, like Slack. */
  issueTriggerId(): string {
    return this.workspace.issueTrigger(Date.now());
  }

  /** A response_url on this server; POSTs to it land in `ephemerals`. */
  responseUrl(id?: string): string {
    this.responseSeq += 1;
    return `${this.baseUrl}response/${encodeURIComponent(id ?? `R${String(this.responseSeq).padStart(4, "0")}`)}`;
  }

  close(): Promise<void> {
    for (const method of [...this.holds.keys()]) this.release(method, { apply: false });
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      this.server.closeAllConnections();
    });
  }

  // ---------- HTTP ----------

  /** @internal */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const body = await readBody(req);
    const [, kind, rest] = /^\/([^/]+)\/(.+)$/.exec(url.pathname) ?? [];
    if (kind === "api" && rest) return this.handleApi(rest, req, url, body, res);
    if (kind === "upload" && rest && req.method === "POST") return this.handleUpload(rest, req, body, res);
    if (kind === "response" && rest && req.method === "POST") return this.handleResponseUrl(decodeURIComponent(rest), body, res);
    if (url.pathname === "/openid/connect/authorize" && (req.method === "GET" || req.method === "POST"))
      return this.openid.handleAuthorize(req, url, body, res);
    if (url.pathname === "/openid/connect/keys") return send(res, 200, "application/json", JSON.stringify(this.openid.keys()));
    send(res, 404, "text/plain", "not found");
  }

  private async handleApi(method: string, req: IncomingMessage, url: URL, body: Buffer, res: ServerResponse) {
    const started = Date.now();
    let args: Record<string, any>;
    try {
      args = parseArgs(req, url, body);
    } catch {
      return this.answer(res, this.record(method, {}, started), 200, { ok: false, error: "invalid_json" });
    }
    const token = bearer(req.headers.authorization) ?? args.token;
    delete args.token;
    const call = this.record(method, args, started);

    const delay = this.latency.get(method) ?? this.globalLatency;
    if (delay > 0) await sleep(delay);
    const parked = this.holds.get(method);
    if (parked) {
      call.held = true;
      this.notify(call);
      const apply = await new Promise<boolean>((go) => parked.push(go));
      call.held = false;
      if (!apply) {
        res.destroy();
        return this.finish(call, 0, { dropped: true });
      }
    }

    const overTier = this.overTier(method, call.at);
    if (overTier !== undefined) {
      return this.answer(res, call, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(overTier) });
    }
    const fault = this.takeFault(method);
    if (fault?.kind === "http" && fault.status === 429) {
      return this.answer(res, call, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(fault.retryAfter) });
    }
    if (fault?.kind === "http") return this.answer(res, call, fault.status, STATUS_TEXT[fault.status]);
    if (fault?.kind === "error") return this.answer(res, call, 200, { ok: false, error: fault.error });

    if (method === "apps.connections.open") {
      // Socket Mode: an app-level token (xapp-) gets the WebSocket URL a test's socket server listens on.
      if (typeof token !== "string" || !token.startsWith("xapp-"))
        return this.answer(res, call, 200, { ok: false, error: "not_allowed_token_type" });
      if (!this.socketModeUrl) return this.answer(res, call, 200, { ok: false, error: "socket_mode_not_available" });
      return this.answer(res, call, 200, { ok: true, url: this.socketModeUrl });
    }
    // Sign in with Slack: the token method takes client credentials, userInfo the user's own token (not a bot's).
    if (method === "openid.connect.token") return this.answer(res, call, 200, this.openid.token(args, req.headers.authorization));
    if (method === "openid.connect.userInfo")
      return this.answer(res, call, 200, this.openid.userInfo(typeof token === "string" ? `Bearer ${token}` : undefined, {}));
    if (typeof token !== "string" || token === "") return this.answer(res, call, 200, { ok: false, error: "not_authed" });
    if (!token.startsWith("xox")) return this.answer(res, call, 200, { ok: false, error: "invalid_auth" });

    const handler = this.workspace.handlers[method];
    if (!handler) return this.answer(res, call, 200, { ok: false, error: "unknown_method" });
    try {
      return this.answer(res, call, 200, { ok: true, ...handler(args, this.context(method)) });
    } catch (err) {
      if (err instanceof SlackMethodError) return this.answer(res, call, 200, { ok: false, error: err.error, ...err.extra });
      console.error(`fake-slack: ${method} crashed`, err);
      return this.answer(res, call, 500, `fake-slack internal error in ${method}: ${String(err)}`);
    }
  }

  private context(method: string): HandlerContext {
    return {
      method,
      strictBlocks: this.strictBlocks,
      now: () => Date.now(),
      reportViolations: (where, errors) => {
        for (const e of errors) this.violations.push(`${where}: ${e}`);
        return errors.length > 0 && this.strictBlocks;
      },
      uploadUrl: (fileId) => `${this.baseUrl}upload/${fileId}`,
    };
  }

  private record(method: string, args: Record<string, any>, at: number): RecordedCall {
    const call: RecordedCall = { method, args, at, response: undefined, status: 0, pending: true, held: false };
    this.calls.push(call);
    return call;
  }

  private answer(res: ServerResponse, call: RecordedCall, status: number, response: unknown, headers: Record<string, string> = {}): void {
    if (typeof response === "string") send(res, status, "text/plain; charset=utf-8", response, headers);
    else send(res, status, "application/json; charset=utf-8", JSON.stringify(response), headers);
    this.finish(call, status, response);
  }

  private finish(call: RecordedCall, status: number, response: unknown): void {
    call.status = status;
    call.response = response;
    call.pending = false;
    this.logLine?.(describe(call));
    this.opts.onCall?.(call);
    this.notify(call);
  }

  private handleUpload(fileId: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const bytes = extractUploadBytes(req.headers["content-type"], body);
    if (!this.workspace.receiveUpload(fileId, bytes)) {
      send(res, 404, "text/plain", "file not found");
      return;
    }
    this.logLine?.(`[fake-slack] upload ${fileId} ${bytes.length} bytes`);
    send(res, 200, "text/plain", `OK - ${bytes.length}`);
  }

  private handleResponseUrl(id: string, raw: Buffer, res: ServerResponse): void {
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      send(res, 400, "text/plain", "invalid_payload");
      return;
    }
    const errors = checkMessage(body);
    for (const e of errors) this.violations.push(`response_url: ${e}`);
    if (errors.length > 0 && this.strictBlocks) {
      send(res, 400, "application/json", JSON.stringify({ ok: false, error: "invalid_blocks", errors }));
      return;
    }
    this.workspace.ephemerals.push({ via: "response_url", at: Date.now(), id, body });
    this.logLine?.(`[fake-slack] response_url ${id} ${summarize(body)}`);
    send(res, 200, "application/json", JSON.stringify({ ok: true }));
  }
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  // eslint-disable-next-line prefer-const -- assigned once the server listens
  let fake: FakeSlack | undefined;
  const server = createServer((req, res) => {
    fake!.handle(req, res).catch((err) => {
      console.error("fake-slack: request failed", err);
      if (!res.headersSent) send(res, 500, "text/plain", "fake-slack internal error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  fake = new FakeSlack(server, opts);
  return fake;
}

// ---------- helpers ----------

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  // The caller may have died while its call was held; answering then is a no-op.
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { "content-type": contentType, ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  return m?.[1];
}

/** Form (the WebClient's default), JSON, or query-string arguments; JSON-string fields decoded. */
function parseArgs(req: IncomingMessage, url: URL, body: Buffer): Record<string, any> {
  const args: Record<string, any> = Object.fromEntries(url.searchParams);
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const text = body.toString("utf8");
  if (type === "application/json") {
    if (text.trim()) Object.assign(args, JSON.parse(text));
    return args;
  }
  if (type === "application/x-www-form-urlencoded" || (type === "" && text)) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(text)));
  }
  for (const field of JSON_FIELDS) {
    if (typeof args[field] !== "string") continue;
    try {
      args[field] = JSON.parse(args[field]);
    } catch {
      // left as a string: the handler answers with Slack's "invalid format" error
    }
  }
  return args;
}

/** The upload URL takes raw bytes, or multipart (what WebClient.filesUploadV2 sends). */
function extractUploadBytes(contentType: string | undefined, body: Buffer): Buffer {
  const boundary = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  if (!boundary) return body;
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      if (/filename=|name="(body|file)"/i.test(headers)) return part.subarray(headerEnd + 4, part.length - 2);
    }
    start = next;
  }
  return body;
}

function summarize(args: Record<string, any>): string {
  const parts: string[] = [];
  for (const key of ["channel", "channel_id", "name", "users", "user", "user_id", "ts", "timestamp", "view_id"]) {
    if (args[key] !== undefined) parts.push(`${key}=${String(args[key])}`);
  }
  if (typeof args.text === "string") {
    parts.push(`text=${JSON.stringify(args.text.length > 60 ? `${args.text.slice(0, 57)}...` : args.text)}`);
  }
  if (Array.isArray(args.blocks)) parts.push(`blocks=${args.blocks.length}`);
  return parts.join(" ");
}

function describe(call: RecordedCall): string {
  const r = call.response;
  let outcome: string;
  if (call.status === 0) outcome = "dropped";
  else if (call.status !== 200) outcome = `HTTP ${call.status}`;
  else outcome = r?.ok ? "ok" : `error ${r?.error}`;
  return `[fake-slack] ${call.method} ${summarize(call.args)} -> ${outcome} (${Date.now() - call.at} ms)`;
}
