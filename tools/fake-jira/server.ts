// A fake Jira Cloud REST API v3 on 127.0.0.1 for tests and the demo, following Atlassian's public docs
// (developer.atlassian.com/cloud/jira/platform/rest/v3): basic auth with an account email and API token (401
// otherwise); POST /rest/api/3/issue (201 {id, key, self}; 400 {"errorMessages": [], "errors": {field: message}}
// for bad fields); GET /rest/api/3/user/search?query= (an array of users); the enhanced JQL search
// POST /rest/api/3/search/jql (and GET with ?jql=) answering {issues: [{id, key, self, fields}], isLast};
// 429 with Retry-After and 5xx on demand. It keeps the issues it created, records every call, and sends
// jira:issue_updated webhooks signed like a Jira admin webhook with a secret (X-Hub-Signature: sha256=<hmac>).
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface JiraCall {
  at: number;
  method: string;
  path: string;
  status: number;
  body: any;
}

export interface FakeJiraUser {
  accountId: string;
  email: string;
  displayName: string;
  active?: boolean;
  /** May be assigned issues (default true); false → the create answers 400 on the assignee field. */
  assignable?: boolean;
}

export interface FakeJiraIssue {
  id: string;
  key: string;
  fields: Record<string, any>;
  status: { name: string; category: "new" | "indeterminate" | "done" };
}

const STATUS_CATEGORY: Record<string, { id: number; key: string; name: string; colorName: string }> = {
  new: { id: 2, key: "new", name: "To Do", colorName: "blue-gray" },
  indeterminate: { id: 4, key: "indeterminate", name: "In Progress", colorName: "yellow" },
  done: { id: 3, key: "done", name: "Done", colorName: "green" },
};

type Answer = { status: number; json: any; headers?: Record<string, string> };

export class FakeJira {
  readonly calls: JiraCall[] = [];
  readonly issues: FakeJiraIssue[] = [];
  /** Base URL (JIRA_URL). */
  readonly url: string;
  users: FakeJiraUser[] = [];
  /** Issue types each project has. */
  projects: Record<string, string[]> = {};
  /** Milliseconds a create waits before answering (the issue exists from the moment it arrives). */
  createDelayMs = 0;
  private faults: { path: string; status: number; errors?: Record<string, string>; retryAfter?: number }[] = [];
  private seq = 0;

  constructor(
    private readonly server: Server,
    readonly email: string,
    readonly apiToken: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  /** The next request to `path` (e.g. "/rest/api/3/issue") answers `status` instead: 400 with `errors`, 401, 429 (Retry-After), 5xx. */
  failNext(path: string, status: number, opts: { errors?: Record<string, string>; retryAfter?: number } = {}) {
    this.faults.push({ path, status, ...opts });
  }

  /** Successful creates (201), in order. */
  creates() {
    return this.calls.filter((c) => c.method === "POST" && c.path === "/rest/api/3/issue" && c.status === 201);
  }

  callsTo(path: string) {
    return this.calls.filter((c) => c.path.split("?")[0] === path);
  }

  issue(key: string) {
    return this.issues.find((i) => i.key === key);
  }

  /** Moves an issue to a status, as a workflow transition in Jira would. */
  transition(key: string, name: string, category: FakeJiraIssue["status"]["category"]) {
    const i = this.issue(key);
    if (!i) throw new Error(`no issue ${key}`);
    i.status = { name, category };
  }

  issueJson(i: FakeJiraIssue) {
    return {
      id: i.id,
      key: i.key,
      self: `${this.url}/rest/api/3/issue/${i.id}`,
      fields: {
        ...i.fields,
        status: {
          name: i.status.name,
          id: String(10000 + STATUS_CATEGORY[i.status.category]!.id),
          statusCategory: STATUS_CATEGORY[i.status.category],
        },
      },
    };
  }

  /**
   * Sends a jira:issue_updated webhook for the issue to `target`, as a Jira admin webhook does: the body's shape,
   * X-Atlassian-Webhook-Identifier (kept for a redelivery), and the secret as `X-Hub-Signature` (`signature`),
   * `?secret=` (`query`) or `Authorization: Bearer` (`bearer`, Jira Automation). Returns the answer.
   */
  async sendWebhook(
    target: string,
    key: string,
    opts: {
      secret?: string;
      via?: "signature" | "query" | "bearer";
      identifier?: string;
      body?: string;
      user?: { accountId: string; displayName: string };
    } = {},
  ): Promise<{ status: number; json: any; identifier: string }> {
    const i = this.issue(key);
    const identifier = opts.identifier ?? String(++this.seq + 1000000);
    const body =
      opts.body ??
      JSON.stringify({
        timestamp: Date.now(),
        webhookEvent: "jira:issue_updated",
        issue_event_type_name: "issue_generic",
        user: {
          self: `${this.url}/rest/api/2/user?accountId=x`,
          accountType: "atlassian",
          active: true,
          ...(opts.user ?? { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Jira Admin" }),
        },
        issue: i ? this.issueJson(i) : { id: "99999", key, fields: { status: { name: "Done", statusCategory: STATUS_CATEGORY.done } } },
        changelog: {
          id: "10001",
          items: [
            { field: "status", fieldtype: "jira", from: "10000", fromString: "To Do", to: "10001", toString: i?.status.name ?? "Done" },
          ],
        },
      });
    const headers: Record<string, string> = {
      "content-type": "application/json; charset=utf-8",
      "x-atlassian-webhook-identifier": identifier,
      "x-atlassian-webhook-flow": "Primary",
    };
    let url = target;
    const via = opts.via ?? "signature";
    if (opts.secret !== undefined) {
      if (via === "signature") headers["x-hub-signature"] = `sha256=${createHmac("sha256", opts.secret).update(body).digest("hex")}`;
      else if (via === "bearer") headers.authorization = `Bearer ${opts.secret}`;
      else url = `${target}${target.includes("?") ? "&" : "?"}secret=${encodeURIComponent(opts.secret)}`;
    }
    const res = await fetch(url, { method: "POST", headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, json, identifier };
  }

  authorized(header: string | undefined) {
    return header === `Basic ${Buffer.from(`${this.email}:${this.apiToken}`).toString("base64")}`;
  }

  fault(path: string): Answer | null {
    const idx = this.faults.findIndex((f) => f.path === path);
    if (idx < 0) return null;
    const [f] = this.faults.splice(idx, 1);
    if (f!.status === 429)
      return {
        status: 429,
        json: { errorMessages: ["Rate limit exceeded."], errors: {} },
        headers: { "retry-after": String(f!.retryAfter ?? 1) },
      };
    if (f!.status === 401) return unauthorized();
    if (f!.status >= 500) return { status: f!.status, json: { errorMessages: ["Internal server error"], errors: {} } };
    return { status: f!.status, json: { errorMessages: [], errors: f!.errors ?? {} } };
  }

  createIssue(body: any): Answer {
    const f = body?.fields;
    if (!f || typeof f !== "object") return { status: 400, json: { errorMessages: ["No fields were given."], errors: {} } };
    const errors: Record<string, string> = {};
    const projectKey = f.project?.key;
    const types = typeof projectKey === "string" ? this.projects[projectKey] : undefined;
    if (!types) errors.project = "Specify a valid project ID or key";
    else if (!f.issuetype?.name && !f.issuetype?.id) errors.issuetype = "Specify an issue type";
    else if (f.issuetype.name && !types.includes(f.issuetype.name)) errors.issuetype = "The issue type selected is invalid.";
    if (typeof f.summary !== "string" || !f.summary.trim()) errors.summary = "You must specify a summary of the issue.";
    else if (f.summary.length > 255) errors.summary = "Summary must be less than 255 characters.";
    if (
      f.description !== undefined &&
      (f.description?.type !== "doc" || f.description?.version !== 1 || !Array.isArray(f.description?.content))
    )
      errors.description = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    if (
      f.duedate !== undefined &&
      f.duedate !== null &&
      (typeof f.duedate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(f.duedate) || Number.isNaN(Date.parse(f.duedate)))
    )
      errors.duedate = `Error parsing date string: ${f.duedate}`;
    if (f.labels !== undefined) {
      const bad = Array.isArray(f.labels)
        ? f.labels.find((l: unknown) => typeof l !== "string" || /\s/.test(l) || l.length > 255)
        : "labels";
      if (bad !== undefined) errors.labels = `The label '${bad}' contains spaces which is invalid.`;
    }
    if (f.assignee) {
      const u = this.users.find((x) => x.accountId === f.assignee.accountId);
      if (!u || u.active === false) errors.assignee = "Specified user does not exist or you do not have required permissions";
      else if (u.assignable === false) errors.assignee = `User '${u.displayName}' cannot be assigned issues.`;
    }
    if (Object.keys(errors).length) return { status: 400, json: { errorMessages: [], errors } };
    const n = this.issues.filter((i) => i.key.startsWith(`${projectKey}-`)).length + 1;
    const issue: FakeJiraIssue = {
      id: String(10000 + this.issues.length + 1),
      key: `${projectKey}-${n}`,
      fields: { ...f, labels: f.labels ?? [], created: new Date().toISOString() },
      status: { name: "To Do", category: "new" },
    };
    this.issues.push(issue);
    return { status: 201, json: { id: issue.id, key: issue.key, self: `${this.url}/rest/api/3/issue/${issue.id}` } };
  }

  searchUsers(url: URL): Answer {
    const q = (url.searchParams.get("query") ?? "").toLowerCase();
    if (!q) return { status: 400, json: { errorMessages: ["The query parameter 'query' is required."], errors: {} } };
    const max = Math.min(1000, Number(url.searchParams.get("maxResults") ?? 50) || 50);
    // Jira matches the start of the display name or the email address.
    const hits = this.users.filter((u) => u.email.toLowerCase().startsWith(q) || u.displayName.toLowerCase().startsWith(q)).slice(0, max);
    return {
      status: 200,
      json: hits.map((u) => ({
        self: `${this.url}/rest/api/3/user?accountId=${u.accountId}`,
        accountId: u.accountId,
        accountType: "atlassian",
        emailAddress: u.email,
        displayName: u.displayName,
        active: u.active !== false,
        timeZone: "UTC",
        locale: "en_US",
      })),
    };
  }

  /** The enhanced search: a small JQL subset (`field = "value"` clauses joined by AND on project, labels, key). */
  search(jql: unknown, maxResults: unknown): Answer {
    if (typeof jql !== "string" || !jql.trim())
      return { status: 400, json: { errorMessages: ["JQL query is required and must be bounded."], errors: {} } };
    const clauses = jql.split(/\s+AND\s+/i).map((c) => /^\s*(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([\w-]+))\s*$/i.exec(c));
    if (clauses.some((c) => !c))
      return { status: 400, json: { errorMessages: [`Error in the JQL Query: '${jql}' is not understood by this fake.`], errors: {} } };
    const wanted = clauses.map((c) => ({ field: c![1]!.toLowerCase(), value: (c![2] ?? c![3]!).replace(/\\(.)/g, "$1") }));
    const hits = this.issues.filter((i) =>
      wanted.every((w) =>
        w.field === "project"
          ? i.key.startsWith(`${w.value}-`)
          : w.field === "labels"
            ? (i.fields.labels as string[]).includes(w.value)
            : w.field === "key"
              ? i.key === w.value
              : false,
      ),
    );
    const max = Math.min(5000, Number(maxResults ?? 50) || 50);
    return { status: 200, json: { issues: hits.slice(0, max).map((i) => this.issueJson(i)), isLast: hits.length <= max } };
  }

  close() {
    return new Promise<void>((r) => {
      this.server.closeAllConnections?.();
      this.server.close(() => r());
    });
  }
}

const unauthorized = (): Answer => ({
  status: 401,
  json: { errorMessages: ["Client must be authenticated to access this resource."], errors: {} },
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeJira(
  opts: { email?: string; apiToken?: string; users?: FakeJiraUser[]; projects?: Record<string, string[]> } = {},
): Promise<FakeJira> {
  // eslint-disable-next-line prefer-const -- assigned once the server listens (its port is in the URL)
  let fake: FakeJira;
  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    let body: any;
    let out: Answer;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = undefined;
    }
    const known = ["/rest/api/3/issue", "/rest/api/3/user/search", "/rest/api/3/search/jql"].includes(path);
    if (!known) out = { status: 404, json: { errorMessages: ["Not Found"], errors: {} } };
    else if (!fake.authorized(req.headers.authorization)) out = unauthorized();
    else out = fake.fault(path) ?? route(fake, req.method ?? "GET", path, url, body);
    // Recorded when it arrives (a delayed create already exists in Jira, whether or not its answer is read).
    fake.calls.push({ at: Date.now(), method: req.method ?? "GET", path: path + (url.search || ""), status: out.status, body });
    if (path === "/rest/api/3/issue" && out.status === 201 && fake.createDelayMs > 0)
      await new Promise((r) => setTimeout(r, fake.createDelayMs));
    if (res.destroyed) return;
    res.writeHead(out.status, { "content-type": "application/json;charset=UTF-8", "x-arequestid": randomUUID(), ...(out.headers ?? {}) });
    res.end(JSON.stringify(out.json));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  fake = new FakeJira(server, opts.email ?? "bot@example.com", opts.apiToken ?? "fake-jira-api-token");
  fake.users = opts.users ?? [];
  fake.projects = opts.projects ?? { OPS: ["Task", "Bug", "Story"] };
  return fake;
}

function route(fake: FakeJira, method: string, path: string, url: URL, body: any): Answer {
  if (body === undefined)
    return { status: 400, json: { errorMessages: ["Unexpected character in the request body: it is not JSON."], errors: {} } };
  if (path === "/rest/api/3/issue" && method === "POST") return fake.createIssue(body);
  if (path === "/rest/api/3/user/search" && method === "GET") return fake.searchUsers(url);
  if (path === "/rest/api/3/search/jql" && method === "POST") return fake.search(body?.jql, body?.maxResults);
  if (path === "/rest/api/3/search/jql" && method === "GET")
    return fake.search(url.searchParams.get("jql"), url.searchParams.get("maxResults"));
  return { status: 405, json: { errorMessages: [`Method ${method} is not allowed here.`], errors: {} } };
}
