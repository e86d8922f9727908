// A fake PagerDuty Events API v2 on 127.0.0.1 for tests and the demo, following PagerDuty's public docs
// (developer.pagerduty.com, "Send an Alert Event" and "Response Codes & Retry Logic"): POST /v2/enqueue with
// routing_key, event_action trigger|acknowledge|resolve, dedup_key, payload {summary ≤ 1024, source, severity};
// 202 {status, message, dedup_key}; 400 {status: "invalid event", message, errors}; 429 / 5xx on demand.
// It keeps each alert's state by dedup_key like PagerDuty does and records every call.
// REST API v2 (read only): GET /oncalls with `Authorization: Token token=<key>` and `Accept:
// application/vnd.pagerduty+json;version=2`, schedule_ids[] filter, include[]=users, classic pagination
// (limit ≤ 100, offset, more); 401 for a wrong token.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

export interface PagerCall {
  at: number;
  path: string;
  status: number;
  body: any;
}

export interface FakeAlert {
  dedupKey: string;
  status: "triggered" | "acknowledged" | "resolved";
  summary: string;
  severity: string;
  /** Every event applied to it, in order (trigger, acknowledge, resolve, and repeated triggers). */
  log: string[];
  customDetails: Record<string, unknown>;
  links: { href: string; text?: string }[];
}

export interface FakeOnCall {
  scheduleId: string;
  scheduleName: string;
  user: { id: string; name: string; email: string };
  level?: number;
}

const ACTIONS = new Set(["trigger", "acknowledge", "resolve"]);
const SEVERITIES = new Set(["critical", "error", "warning", "info"]);

export class FakePagerDuty {
  readonly calls: PagerCall[] = [];
  readonly alerts = new Map<string, FakeAlert>();
  readonly eventsUrl: string;
  /** Base URL of the REST API (PAGERDUTY_API_URL). */
  readonly apiUrl: string;
  /** Who is on call now; tests set it. */
  oncalls: FakeOnCall[] = [];
  /** REST answers to give instead of the on-calls (e.g. 503 while "PagerDuty is down"); each used once. */
  restFaults: number[] = [];
  private faults: number[] = [];

  constructor(
    private readonly server: Server,
    /** Routing keys this account has; any other is refused like PagerDuty does (400). Empty: any 32-char key. */
    readonly routingKeys: string[],
    readonly apiToken: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.eventsUrl = `http://127.0.0.1:${port}/v2/enqueue`;
    this.apiUrl = `http://127.0.0.1:${port}`;
  }

  /** The next N calls answer these statuses instead (400 / 429 / 500 / 503), then normal service resumes. */
  failNext(...statuses: number[]) {
    this.faults.push(...statuses);
  }

  events(action?: string) {
    return this.calls.filter((c) => c.status === 202 && (!action || c.body?.event_action === action));
  }

  handle(body: any): { status: number; json: any } {
    const fault = this.faults.shift();
    if (fault === 429)
      return {
        status: 429,
        json: { status: "throttle event", message: "Requests for this service are arriving too quickly. Please retry later." },
      };
    if (fault === 400) return invalid(["Invalid routing key"]);
    if (fault) return { status: fault, json: { status: "error", message: "Internal Server Error" } };
    const errors: string[] = [];
    if (typeof body !== "object" || body === null || Array.isArray(body)) return invalid(["Event object is invalid"]);
    if (typeof body.routing_key !== "string" || body.routing_key.length !== 32)
      errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
    else if (this.routingKeys.length && !this.routingKeys.includes(body.routing_key)) errors.push("Invalid routing key");
    if (!ACTIONS.has(body.event_action))
      errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
    if (body.dedup_key !== undefined && (typeof body.dedup_key !== "string" || body.dedup_key.length > 255))
      errors.push("'dedup_key' is too long (max 255 characters)");
    if (body.event_action !== "trigger" && !body.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve events");
    if (body.event_action === "trigger") {
      const p = body.payload;
      if (!p || typeof p !== "object") errors.push("'payload' is missing or blank");
      else {
        if (typeof p.summary !== "string" || !p.summary) errors.push("'payload.summary' is missing or blank");
        else if (p.summary.length > 1024) errors.push("'payload.summary' is too long (max 1024 characters)");
        if (typeof p.source !== "string" || !p.source) errors.push("'payload.source' is missing or blank");
        if (!SEVERITIES.has(p.severity))
          errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
      }
    }
    if (errors.length) return invalid(errors);
    const dedupKey: string = body.dedup_key ?? randomUUID();
    const alert = this.alerts.get(dedupKey);
    if (body.event_action === "trigger") {
      if (!alert || alert.status === "resolved") {
        this.alerts.set(dedupKey, {
          dedupKey,
          status: "triggered",
          summary: body.payload.summary,
          severity: body.payload.severity,
          log: ["trigger"],
          customDetails: body.payload.custom_details ?? {},
          links: body.links ?? [],
        });
      } else alert.log.push("trigger");
    } else if (alert && alert.status !== "resolved") {
      // Acknowledge / resolve apply to an open alert; for an unknown or resolved one PagerDuty drops them (still 202).
      alert.status = body.event_action === "acknowledge" ? "acknowledged" : "resolved";
      alert.log.push(body.event_action);
    }
    return { status: 202, json: { status: "success", message: "Event processed", dedup_key: dedupKey } };
  }

  /** GET /oncalls as PagerDuty answers it. */
  listOnCalls(url: URL, auth: string | undefined): { status: number; json: any } {
    if (auth !== `Token token=${this.apiToken}`) return { status: 401, json: { error: { message: "Unauthorized", code: 2006 } } };
    const fault = this.restFaults.shift();
    if (fault) return { status: fault, json: { error: { message: "Service Unavailable", code: 2001 } } };
    const schedules = url.searchParams.getAll("schedule_ids[]");
    const withUsers = url.searchParams.getAll("include[]").includes("users");
    const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 25) || 25);
    const offset = Number(url.searchParams.get("offset") ?? 0) || 0;
    const all = this.oncalls.filter((o) => schedules.length === 0 || schedules.includes(o.scheduleId));
    const page = all.slice(offset, offset + limit).map((o) => ({
      escalation_level: o.level ?? 1,
      schedule: { id: o.scheduleId, type: "schedule_reference", summary: o.scheduleName },
      user: withUsers
        ? { id: o.user.id, type: "user", summary: o.user.name, name: o.user.name, email: o.user.email }
        : { id: o.user.id, type: "user_reference", summary: o.user.name },
      start: "2026-12-01T00:00:00Z",
      end: "2026-12-08T00:00:00Z",
    }));
    return { status: 200, json: { oncalls: page, limit, offset, more: offset + limit < all.length, total: null } };
  }

  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const invalid = (errors: string[]) => ({ status: 400, json: { status: "invalid event", message: "Event object is invalid", errors } });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakePagerDuty(opts: { routingKeys?: string[]; apiToken?: string } = {}): Promise<FakePagerDuty> {
  // eslint-disable-next-line prefer-const -- assigned once the server listens (its port is in the URL)
  let fake: FakePagerDuty;
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    let out: { status: number; json: any };
    let body: any = null;
    if (req.method === "GET" && url.pathname === "/oncalls") out = fake.listOnCalls(url, req.headers.authorization);
    else if (req.method !== "POST" || url.pathname !== "/v2/enqueue")
      out = { status: 404, json: { status: "not found", message: "Not Found" } };
    else {
      try {
        body = JSON.parse(text);
        out = fake.handle(body);
      } catch {
        out = invalid(["Event object is invalid: could not parse JSON"]);
      }
    }
    fake.calls.push({ at: Date.now(), path: url.pathname + (url.search || ""), status: out.status, body });
    res.writeHead(out.status, { "content-type": "application/json" });
    res.end(JSON.stringify(out.json));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  fake = new FakePagerDuty(server, opts.routingKeys ?? [], opts.apiToken ?? "fake-pagerduty-rest-token");
  return fake;
}
