/** PagerDuty REST API v2, read only: who is on call now (`GET /oncalls`). The one module that calls it. */

export interface OnCallEntry {
  scheduleId: string;
  scheduleName: string;
  name: string;
  email: string | null;
  level: number;
}

export class OnCallLookupError extends Error {}

interface OnCallsPage {
  oncalls?: {
    user?: { id?: string; summary?: string; name?: string; email?: string };
    schedule?: { id?: string; summary?: string } | null;
    escalation_level?: number;
  }[];
  more?: boolean;
  limit?: number;
  offset?: number;
}

/** Everyone on call now on these schedules, paged through with limit/offset until `more` is false. */
export async function fetchOnCalls(cfg: { apiUrl: string; apiToken: string; scheduleIds: string[] }): Promise<OnCallEntry[]> {
  const out: OnCallEntry[] = [];
  const seen = new Set<string>();
  const limit = 100;
  for (let offset = 0, page = 0; page < 50; page++) {
    const q = new URLSearchParams();
    for (const id of cfg.scheduleIds) q.append("schedule_ids[]", id);
    q.append("include[]", "users"); // the user objects with their email, not references
    q.set("limit", String(limit));
    q.set("offset", String(offset));
    let res: Response;
    try {
      res = await fetch(`${cfg.apiUrl}/oncalls?${q}`, {
        headers: { authorization: `Token token=${cfg.apiToken}`, accept: "application/vnd.pagerduty+json;version=2" },
        signal: AbortSignal.timeout(8000),
      });
    } catch (err) {
      throw new OnCallLookupError(`PagerDuty could not be reached (${(err as Error).message})`);
    }
    if (res.status === 401) throw new OnCallLookupError("PagerDuty refused PAGERDUTY_API_TOKEN (401 Unauthorized)");
    if (res.status === 403) throw new OnCallLookupError("PAGERDUTY_API_TOKEN may not read on-calls (403 Forbidden)");
    if (res.status === 429) throw new OnCallLookupError("PagerDuty is rate limiting the REST API (429)");
    if (!res.ok) throw new OnCallLookupError(`PagerDuty answered HTTP ${res.status} to GET /oncalls`);
    const body = (await res.json().catch(() => ({}))) as OnCallsPage;
    for (const o of body.oncalls ?? []) {
      if (!o.user?.id) continue;
      const scheduleId = o.schedule?.id ?? "";
      const key = `${scheduleId}/${o.user.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        scheduleId,
        scheduleName: o.schedule?.summary ?? scheduleId,
        name: o.user.name ?? o.user.summary ?? o.user.id,
        email: o.user.email ?? null,
        level: o.escalation_level ?? 1,
      });
    }
    if (!body.more) break;
    offset += body.limit ?? limit;
  }
  return out.sort((a, b) => a.level - b.level);
}
