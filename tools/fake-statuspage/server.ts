/**
 * A fake Atlassian Statuspage REST API (https://developer.statuspage.io), the parts the bot uses, as documented:
 * `Authorization: OAuth <api key>` (else 401), `/v1/pages/{page_id}/…` (an unknown page or incident: 404),
 * JSON bodies wrapped as `{"incident": {…}}` / `{"component": {…}}` (a bad one: 422 with `{"error": [...]}`),
 * and the rate limit of 1 request a second per key (excess answered 420, or 429 if asked). Scheduled maintenance is
 * a "scheduled incident": `status: scheduled` with `scheduled_for` / `scheduled_until` (ISO, the end after the start,
 * else 422) and the `scheduled_auto_*` / `auto_transition_*` booleans; DELETE removes an incident. Every call is recorded.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const INCIDENT_STATUSES = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
  "scheduled",
  "in_progress",
  "verifying",
  "completed",
];
export const COMPONENT_STATUSES = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"];

export interface FakeIncidentUpdate {
  id: string;
  status: string;
  body: string;
  created_at: string;
  affected_components: { code: string; new_status: string }[];
}

export interface FakeIncident {
  id: string;
  page_id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  created_at: string;
  updated_at: string;
  resolved_at: string | null;
  metadata: Record<string, Record<string, unknown>>;
  components: { id: string; name: string; status: string }[];
  incident_updates: FakeIncidentUpdate[];
  /** Scheduled incidents (maintenance) only: the window and how it moves along it. */
  scheduled_for?: string | null;
  scheduled_until?: string | null;
  scheduled_remind_prior?: boolean;
  scheduled_auto_in_progress?: boolean;
  scheduled_auto_completed?: boolean;
  auto_transition_to_maintenance_state?: boolean;
  auto_transition_to_operational_state?: boolean;
}

/** Statuses of a scheduled incident (maintenance), as opposed to a realtime one. */
export const SCHEDULED_STATUSES = ["scheduled", "in_progress", "verifying", "completed"];
const SCHEDULED_FLAGS = [
  "scheduled_remind_prior",
  "scheduled_auto_in_progress",
  "scheduled_auto_completed",
  "auto_transition_to_maintenance_state",
  "auto_transition_to_operational_state",
] as const;

export interface RecordedStatuspageCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  status: number;
  at: number;
}

export interface FakeStatuspageOptions {
  apiKey: string;
  pageId: string;
  /** Components on the page: id → name. */
  components?: Record<string, string>;
  /** Minimum ms between two accepted requests per key (default 1000, as Statuspage documents). */
  minIntervalMs?: number;
  /** The rate-limit answer: 420 (Statuspage's documented one, the default) or 429. */
  rateLimitStatus?: 420 | 429;
}

const id = () => randomBytes(6).toString("hex").slice(0, 12);

export class FakeStatuspage {
  readonly calls: RecordedStatuspageCall[] = [];
  readonly incidents = new Map<string, FakeIncident>();
  readonly components = new Map<string, { id: string; name: string; status: string; updated_at: string }>();
  private failures: { status: number; count: number }[] = [];
  private lastAccepted = 0;
  url = "";
  private server!: Server;

  constructor(readonly opts: FakeStatuspageOptions) {
    for (const [cid, name] of Object.entries(opts.components ?? {})) {
      this.components.set(cid, { id: cid, name, status: "operational", updated_at: new Date().toISOString() });
    }
  }

  /** The base URL to give the bot as STATUSPAGE_API_URL. */
  get apiUrl(): string {
    return `${this.url}/v1`;
  }

  /** The next `count` authenticated requests answer `status` (e.g. 503, or 401 for a revoked key). */
  failNext(status: number, count = 1): void {
    this.failures.push({ status, count });
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://x");
    const call: RecordedStatuspageCall = {
      method: req.method ?? "GET",
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
      body: null,
      status: 0,
      at: Date.now(),
    };
    this.calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `OAuth ${this.opts.apiKey}`) return send(401, { error: "Could not authenticate" });
    const now = Date.now();
    if (now - this.lastAccepted < (this.opts.minIntervalMs ?? 1000)) {
      return send(this.opts.rateLimitStatus ?? 420, { error: "Rate limit exceeded: 1 request per second" }, { "retry-after": "1" });
    }
    this.lastAccepted = now;
    const fail = this.failures[0];
    if (fail) {
      if (--fail.count <= 0) this.failures.shift();
      return send(fail.status, { error: `injected ${fail.status}` });
    }
    if (raw) {
      if (!/^application\/json/.test(req.headers["content-type"] ?? ""))
        return send(415, { error: "Content-Type must be application/json" });
      try {
        call.body = JSON.parse(raw);
      } catch {
        return send(400, { error: "Invalid JSON" });
      }
    }
    const m = /^\/v1\/pages\/([^/]+)\/(incidents|components)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m || m[1] !== this.opts.pageId) return send(404, { error: "The requested resource could not be found." });
    const [, , kind, itemId] = m;
    if (kind === "incidents" && !itemId && req.method === "GET") {
      const q = (url.searchParams.get("q") ?? "").toLowerCase();
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const list = [...this.incidents.values()].filter(
        (i) => !q || i.name.toLowerCase().includes(q) || i.incident_updates.some((u) => u.body.toLowerCase().includes(q)),
      );
      return send(200, list.reverse().slice(0, limit));
    }
    if (kind === "incidents" && !itemId && req.method === "POST") return this.createIncident(call.body, send);
    if (kind === "incidents" && itemId && req.method === "PATCH") return this.updateIncident(itemId, call.body, send);
    if (kind === "incidents" && itemId && req.method === "DELETE") {
      const inc = this.incidents.get(itemId);
      if (!inc) return send(404, { error: "The requested resource could not be found." });
      this.incidents.delete(itemId);
      return send(200, inc);
    }
    if (kind === "incidents" && itemId && req.method === "GET") {
      const inc = this.incidents.get(itemId);
      return inc ? send(200, inc) : send(404, { error: "The requested resource could not be found." });
    }
    if (kind === "components" && itemId && req.method === "PATCH") {
      const comp = this.components.get(itemId);
      if (!comp) return send(404, { error: "The requested resource could not be found." });
      const status = (call.body as { component?: { status?: unknown } } | null)?.component?.status;
      if (typeof status !== "string" || !COMPONENT_STATUSES.includes(status))
        return send(422, { error: ["Status is not included in the list"] });
      comp.status = status;
      comp.updated_at = new Date().toISOString();
      return send(200, comp);
    }
    return send(405, { error: "Method not allowed" });
  }

  private validate(body: unknown, creating: boolean): { errors: string[]; inc: Record<string, unknown> } {
    const inc = (body as { incident?: unknown } | null)?.incident;
    if (!inc || typeof inc !== "object") return { errors: ["incident is missing"], inc: {} };
    const i = inc as Record<string, unknown>;
    const errors: string[] = [];
    if (creating && (typeof i.name !== "string" || !i.name.trim())) errors.push("Name can't be blank");
    if (i.status !== undefined && (typeof i.status !== "string" || !INCIDENT_STATUSES.includes(i.status)))
      errors.push("Status is not included in the list");
    const scheduled = typeof i.status === "string" && SCHEDULED_STATUSES.includes(i.status);
    if (creating && scheduled) {
      const from = Date.parse(String(i.scheduled_for ?? ""));
      const until = Date.parse(String(i.scheduled_until ?? ""));
      if (typeof i.scheduled_for !== "string" || Number.isNaN(from)) errors.push("Scheduled for can't be blank");
      if (typeof i.scheduled_until !== "string" || Number.isNaN(until)) errors.push("Scheduled until can't be blank");
      else if (!Number.isNaN(from) && until <= from) errors.push("Scheduled until must be after scheduled for");
    }
    for (const flag of SCHEDULED_FLAGS) if (i[flag] !== undefined && typeof i[flag] !== "boolean") errors.push(`${flag} must be a boolean`);
    for (const cid of (i.component_ids as unknown[]) ?? [])
      if (!this.components.has(String(cid))) errors.push(`Component ${String(cid)} does not exist`);
    for (const [cid, s] of Object.entries((i.components as Record<string, unknown>) ?? {})) {
      if (!this.components.has(cid)) errors.push(`Component ${cid} does not exist`);
      else if (typeof s !== "string" || !COMPONENT_STATUSES.includes(s))
        errors.push(`Component status ${String(s)} is not included in the list`);
    }
    return { errors, inc: i };
  }

  private applyComponents(inc: FakeIncident, i: Record<string, unknown>): { code: string; new_status: string }[] {
    const changed: { code: string; new_status: string }[] = [];
    for (const [cid, s] of Object.entries((i.components as Record<string, string>) ?? {})) {
      const comp = this.components.get(cid)!;
      comp.status = s;
      changed.push({ code: cid, new_status: s });
    }
    const ids = new Set([...((i.component_ids as string[]) ?? []), ...Object.keys((i.components as object) ?? {})]);
    if (ids.size) inc.components = [...ids].filter((c) => this.components.has(c)).map((c) => ({ ...this.components.get(c)! }));
    return changed;
  }

  private createIncident(body: unknown, send: (s: number, b: unknown) => void): void {
    const { errors, inc: i } = this.validate(body, true);
    if (errors.length) return send(422, { error: errors });
    const at = new Date().toISOString();
    const incId = id();
    const status = (i.status as string) ?? "investigating";
    const inc: FakeIncident = {
      id: incId,
      page_id: this.opts.pageId,
      name: i.name as string,
      status,
      impact: SCHEDULED_STATUSES.includes(status) ? "maintenance" : "minor",
      shortlink: `https://stspg.io/${incId.slice(0, 6)}`,
      created_at: at,
      updated_at: at,
      resolved_at: status === "resolved" ? at : null,
      metadata: (i.metadata as FakeIncident["metadata"]) ?? {},
      components: [],
      incident_updates: [],
    };
    if (SCHEDULED_STATUSES.includes(status)) {
      inc.scheduled_for = new Date(i.scheduled_for as string).toISOString();
      inc.scheduled_until = new Date(i.scheduled_until as string).toISOString();
      for (const flag of SCHEDULED_FLAGS) inc[flag] = i[flag] === true;
    }
    const changed = this.applyComponents(inc, i);
    inc.incident_updates.unshift({ id: id(), status, body: String(i.body ?? ""), created_at: at, affected_components: changed });
    this.incidents.set(incId, inc);
    send(201, inc);
  }

  private updateIncident(incId: string, body: unknown, send: (s: number, b: unknown) => void): void {
    const inc = this.incidents.get(incId);
    if (!inc) return send(404, { error: "The requested resource could not be found." });
    const { errors, inc: i } = this.validate(body, false);
    if (errors.length) return send(422, { error: errors });
    const at = new Date().toISOString();
    if (typeof i.name === "string" && i.name.trim()) inc.name = i.name;
    if (typeof i.status === "string") inc.status = i.status;
    if (i.metadata && typeof i.metadata === "object") inc.metadata = i.metadata as FakeIncident["metadata"];
    inc.resolved_at = inc.status === "resolved" ? (inc.resolved_at ?? at) : null;
    inc.updated_at = at;
    const changed = this.applyComponents(inc, i);
    if (typeof i.body === "string" || typeof i.status === "string") {
      inc.incident_updates.unshift({
        id: id(),
        status: inc.status,
        body: String(i.body ?? ""),
        created_at: at,
        affected_components: changed,
      });
    }
    send(200, inc);
  }
}

export async function startFakeStatuspage(opts: FakeStatuspageOptions): Promise<FakeStatuspage> {
  return new FakeStatuspage(opts).start();
}
