/** PagerDuty Events API v2 (`POST /v2/enqueue`): the one module that talks to it. */

export interface PagerEvent {
  routing_key: string;
  event_action: "trigger" | "acknowledge" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
  links?: { href: string; text?: string }[];
  client?: string;
  client_url?: string;
}

/** PagerDuty answered 400 (or another 4xx but 429): sending it again cannot help. */
export class PagerRejected extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(`PagerDuty refused the event (HTTP ${status}${errors.length ? `: ${errors.join("; ")}` : ""})`);
  }
}

/** 429, 5xx or no answer: PagerDuty's docs say retry after some time. */
export class PagerUnavailable extends Error {}

export async function enqueueEvent(url: string, event: PagerEvent): Promise<{ dedupKey: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new PagerUnavailable(`PagerDuty could not be reached (${(err as Error).message})`);
  }
  const body = (await res.json().catch(() => null)) as { dedup_key?: string; message?: string; errors?: unknown } | null;
  if (res.status === 202) return { dedupKey: body?.dedup_key ?? event.dedup_key };
  if (res.status === 429) throw new PagerUnavailable("PagerDuty is rate limiting events (HTTP 429)");
  if (res.status >= 500) throw new PagerUnavailable(`PagerDuty answered HTTP ${res.status}`);
  const errors = Array.isArray(body?.errors) ? body!.errors.map(String) : body?.message ? [String(body.message)] : [];
  throw new PagerRejected(res.status, errors);
}

const SEVERITY: Record<string, "critical" | "error" | "warning" | "info"> = { P1: "critical", P2: "error", P3: "warning", P4: "info" };

/** PagerDuty's four levels from ours (the contract's severity mapping, read backwards). */
export const pagerSeverity = (severity: string) => SEVERITY[severity] ?? "error";
