/**
 * Jira Cloud REST API v3: the one module that talks HTTP to Jira. Basic auth with the account's email and an API
 * token; create an issue, find an account by email, and find issues by JQL (the enhanced search,
 * POST /rest/api/3/search/jql, that replaced /rest/api/3/search in 2025).
 */

export interface JiraAuth {
  url: string;
  email: string;
  apiToken: string;
}

/** Jira refused the request (a 4xx but 429): sending it again as it is cannot help. */
export class JiraRefused extends Error {
  constructor(
    readonly status: number,
    /** `errors` of Jira's error body: field name → message. */
    readonly fieldErrors: Record<string, string>,
    /** `errorMessages` of Jira's error body. */
    readonly messages: string[],
    what: string,
  ) {
    super(`${what}: ${describeRefusal(status, fieldErrors, messages)}`);
  }
}

/** 429 after its retries, a 5xx or no answer. `uncertain`: the request may have been carried out anyway. */
export class JiraUnavailable extends Error {
  constructor(
    message: string,
    readonly uncertain: boolean,
  ) {
    super(message);
  }
}

const HINTS: Record<number, string> = {
  401: "Jira did not accept the credentials (HTTP 401): check JIRA_EMAIL and JIRA_API_TOKEN",
  403: "the Jira account has no permission for this (HTTP 403): it needs Browse and Create issues in the project",
  404: "Jira answered 404 Not Found: check JIRA_URL and JIRA_PROJECT_KEY",
};

/** Jira's error body in words: "duedate: Due date must be …; labels: …", or the status's usual cause. */
export function describeRefusal(status: number, fieldErrors: Record<string, string>, messages: string[]): string {
  const parts = [...messages, ...Object.entries(fieldErrors).map(([field, msg]) => `${field}: ${msg}`)].filter(Boolean);
  if (parts.length === 0) return HINTS[status] ?? `Jira answered HTTP ${status}`;
  return `${parts.join("; ")} (HTTP ${status}${HINTS[status] ? `; ${HINTS[status]!.replace(/ \(HTTP \d+\)/, "")}` : ""})`;
}

export interface JiraCallOptions {
  /** Attempts for 429 (after Retry-After) and, when `retryUncertain`, for 5xx / no answer. Default 3. */
  attempts?: number;
  /** Retry 5xx and network errors here: only for requests that change nothing (a create may have happened). */
  retryUncertain?: boolean;
  /** Longest wait for one Retry-After, ms (default 30 s); a longer one is left to the job's retry. */
  maxWaitMs?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retry-After in seconds (Jira sends whole seconds), or an HTTP date. */
function retryAfterMs(header: string | null, attempt: number): number {
  if (header) {
    const secs = Number(header);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return 500 * 2 ** attempt;
}

async function call<T>(auth: JiraAuth, method: "GET" | "POST", path: string, body: unknown, what: string, o: JiraCallOptions = {}) {
  const attempts = o.attempts ?? 3;
  const authorization = `Basic ${Buffer.from(`${auth.email}:${auth.apiToken}`).toString("base64")}`;
  let last = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${auth.url}${path}`, {
        method,
        headers: {
          authorization,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
    } catch (err) {
      last = `Jira could not be reached (${(err as Error).message})`;
      if (!o.retryUncertain) throw new JiraUnavailable(`${what}: ${last}`, true);
      await sleep(500 * 2 ** attempt);
      continue;
    }
    const text = await res.text().catch(() => "");
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null; // an HTML error page from a proxy: the status says enough
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, json: json as T };
    if (res.status === 429) {
      // Jira's rate limit: the request was not carried out; wait as told, within reason.
      last = "Jira is rate limiting requests (HTTP 429)";
      const wait = retryAfterMs(res.headers.get("retry-after"), attempt);
      if (attempt + 1 >= attempts || wait > (o.maxWaitMs ?? 30_000)) break;
      await sleep(wait);
      continue;
    }
    if (res.status >= 500) {
      last = `Jira answered HTTP ${res.status}`;
      if (!o.retryUncertain) throw new JiraUnavailable(`${what}: ${last}`, true);
      await sleep(500 * 2 ** attempt);
      continue;
    }
    const b = (json ?? {}) as { errors?: unknown; errorMessages?: unknown };
    const fieldErrors: Record<string, string> = {};
    if (b.errors && typeof b.errors === "object" && !Array.isArray(b.errors)) {
      for (const [k, v] of Object.entries(b.errors as Record<string, unknown>)) fieldErrors[k] = String(v);
    }
    const messages = Array.isArray(b.errorMessages) ? b.errorMessages.map(String) : [];
    throw new JiraRefused(res.status, fieldErrors, messages, what);
  }
  throw new JiraUnavailable(`${what}: ${last}`, false);
}

export interface JiraUser {
  accountId: string;
  displayName: string;
}

/**
 * The Atlassian account with this email (GET /rest/api/3/user/search?query=): an active person's account, the
 * one whose visible email matches when several come back. Null when there is none (or Jira answers 404).
 */
export async function findUserByEmail(auth: JiraAuth, email: string): Promise<JiraUser | null> {
  let users: unknown;
  try {
    ({ json: users } = await call<unknown>(
      auth,
      "GET",
      `/rest/api/3/user/search?${new URLSearchParams({ query: email, maxResults: "10" })}`,
      undefined,
      "Looking up the assignee in Jira",
      { retryUncertain: true },
    ));
  } catch (err) {
    if (err instanceof JiraRefused && err.status === 404) return null;
    throw err;
  }
  if (!Array.isArray(users)) return null;
  const people = users.filter(
    (u): u is { accountId: string; displayName?: string; emailAddress?: string; accountType?: string; active?: boolean } =>
      typeof u?.accountId === "string" && (u.accountType === undefined || u.accountType === "atlassian") && u.active !== false,
  );
  const exact = people.find((u) => u.emailAddress?.toLowerCase() === email.toLowerCase());
  const hit = exact ?? (people.length === 1 ? people[0] : undefined);
  return hit ? { accountId: hit.accountId, displayName: hit.displayName ?? hit.accountId } : null;
}

export interface FoundIssue {
  id: string;
  key: string;
  /** The assignee's accountId (searches only; null when unassigned or not asked). */
  assigneeAccountId?: string | null;
}

type SearchAnswer = { issues?: { id?: unknown; key?: unknown; fields?: { assignee?: { accountId?: unknown } | null } }[] };

/** Issues matching a JQL query, first page (POST /rest/api/3/search/jql). */
export async function searchIssues(auth: JiraAuth, jql: string, maxResults = 10): Promise<FoundIssue[]> {
  const { json } = await call<SearchAnswer>(
    auth,
    "POST",
    "/rest/api/3/search/jql",
    { jql, fields: ["summary", "status", "labels", "assignee"], maxResults },
    "Searching Jira",
    { retryUncertain: true },
  );
  return (json?.issues ?? [])
    .filter((i) => typeof i.key === "string")
    .map((i) => ({
      id: String(i.id ?? ""),
      key: i.key as string,
      assigneeAccountId: typeof i.fields?.assignee?.accountId === "string" ? i.fields.assignee.accountId : null,
    }));
}

/** A JQL string literal: quotes and backslashes escaped. */
export const jqlString = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export interface NewIssueFields {
  projectKey: string;
  issueType: string;
  summary: string;
  description: AdfDoc;
  assigneeAccountId: string | null;
  dueDate: string | null;
  labels: string[];
}

/** POST /rest/api/3/issue → the new issue's key. Not retried on 5xx or no answer: it may have been created. */
export async function createIssue(auth: JiraAuth, f: NewIssueFields): Promise<FoundIssue> {
  const fields: Record<string, unknown> = {
    project: { key: f.projectKey },
    issuetype: { name: f.issueType },
    summary: f.summary,
    description: f.description,
    labels: f.labels,
  };
  if (f.assigneeAccountId) fields.assignee = { accountId: f.assigneeAccountId };
  if (f.dueDate) fields.duedate = f.dueDate;
  const { json } = await call<{ id?: unknown; key?: unknown }>(auth, "POST", "/rest/api/3/issue", { fields }, "Creating the Jira issue");
  if (typeof json?.key !== "string") throw new JiraUnavailable("Creating the Jira issue: Jira's answer had no issue key", true);
  return { id: String(json.id ?? ""), key: json.key };
}

// Atlassian Document Format: the rich text of descriptions in REST v3.
export type AdfInline = { type: "text"; text: string; marks?: { type: "link"; attrs: { href: string } }[] } | { type: "hardBreak" };
export interface AdfDoc {
  type: "doc";
  version: 1;
  content: { type: "paragraph"; content: AdfInline[] }[];
}

/** Paragraphs of plain text and links, as ADF. */
export function adfDoc(paragraphs: AdfInline[][]): AdfDoc {
  return { type: "doc", version: 1, content: paragraphs.map((content) => ({ type: "paragraph", content })) };
}
export const adfText = (text: string): AdfInline => ({ type: "text", text });
export const adfLink = (text: string, href: string): AdfInline => ({ type: "text", text, marks: [{ type: "link", attrs: { href } }] });
