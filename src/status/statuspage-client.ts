/**
 * Atlassian Statuspage's REST API (https://developer.statuspage.io): `Authorization: OAuth <key>`, JSON bodies
 * wrapped as `{"incident": …}` / `{"component": …}`, 1 request a second per key (excess answered 420 or 429).
 */
export interface StatuspageConfig {
  apiKey: string;
  pageId: string;
  apiUrl: string;
  minIntervalMs: number;
}

export interface RemoteIncident {
  id: string;
  name: string;
  status: string;
  shortlink?: string | null;
  metadata?: Record<string, Record<string, unknown>> | null;
}

export interface IncidentBody {
  name: string;
  status: string;
  body: string;
  component_ids: string[];
  components: Record<string, string>;
  metadata: Record<string, Record<string, string>>;
  deliver_notifications: boolean;
}

/** A scheduled maintenance as Statuspage creates it: a "scheduled incident" that moves itself along its window. */
export interface MaintenanceBody {
  name: string;
  status: "scheduled" | "in_progress" | "completed";
  body: string;
  scheduled_for: string;
  scheduled_until: string;
  scheduled_remind_prior: boolean;
  scheduled_auto_in_progress: boolean;
  scheduled_auto_completed: boolean;
  auto_transition_to_maintenance_state: boolean;
  auto_transition_to_operational_state: boolean;
  component_ids: string[];
  metadata: Record<string, Record<string, string>>;
  deliver_notifications: boolean;
}

/** An answer from Statuspage that retrying will not fix (401, 403, 404, 422): told in the channel, not retried. */
export class StatuspagePermanentError extends Error {}
/** 420/429/5xx or no answer: retried (here a few times, then by the job queue). */
export class StatuspageTransientError extends Error {}

// One pace per API key in this process: Statuspage counts requests per key, across incidents.
const nextSlot = new Map<string, number>();

async function pace(cfg: StatuspageConfig): Promise<void> {
  const now = Date.now();
  const at = Math.max(now, nextSlot.get(cfg.apiKey) ?? 0);
  nextSlot.set(cfg.apiKey, at + cfg.minIntervalMs);
  if (at > now) await new Promise((r) => setTimeout(r, at - now));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function errorText(status: number, body: unknown): string {
  const e = (body as { error?: unknown; message?: unknown } | null)?.error ?? (body as { message?: unknown } | null)?.message;
  const detail = Array.isArray(e) ? e.join("; ") : typeof e === "string" ? e : "";
  return `HTTP ${status}${detail ? `: ${detail}` : ""}`;
}

export async function statuspageRequest<T>(cfg: StatuspageConfig, method: string, path: string, body?: unknown): Promise<T> {
  let lastError = "";
  for (let attempt = 0; attempt < 4; attempt++) {
    await pace(cfg);
    let res: Response;
    try {
      res = await fetch(`${cfg.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `OAuth ${cfg.apiKey}`,
          accept: "application/json",
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      lastError = `no answer (${(e as Error).message})`;
      await sleep(500 * 2 ** attempt);
      continue;
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null; // an HTML error page from a proxy: the status code says enough
    }
    if (res.ok) return parsed as T;
    lastError = errorText(res.status, parsed);
    if (res.status === 420 || res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get("retry-after"));
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : cfg.minIntervalMs * 2 ** attempt);
      continue;
    }
    throw new StatuspagePermanentError(`${method} ${path.replace(cfg.pageId, "{page}")} → ${lastError}`);
  }
  throw new StatuspageTransientError(`${method} ${path.replace(cfg.pageId, "{page}")} → ${lastError}`);
}

const page = (cfg: StatuspageConfig) => `/pages/${encodeURIComponent(cfg.pageId)}`;

export const statuspage = {
  /** Looks for an incident this bot created (by its metadata) before creating one: a crash between create and save. */
  async findIncident(cfg: StatuspageConfig, name: string, publicId: string): Promise<RemoteIncident | undefined> {
    const list = await statuspageRequest<RemoteIncident[]>(cfg, "GET", `${page(cfg)}/incidents?q=${encodeURIComponent(name)}&limit=100`);
    return (Array.isArray(list) ? list : []).find((i) => i.metadata?.incident_bot?.public_id === publicId);
  },
  createIncident(cfg: StatuspageConfig, incident: IncidentBody | MaintenanceBody): Promise<RemoteIncident> {
    return statuspageRequest<RemoteIncident>(cfg, "POST", `${page(cfg)}/incidents`, { incident });
  },
  updateIncident(cfg: StatuspageConfig, id: string, incident: IncidentBody | Partial<MaintenanceBody>): Promise<RemoteIncident> {
    return statuspageRequest<RemoteIncident>(cfg, "PATCH", `${page(cfg)}/incidents/${encodeURIComponent(id)}`, { incident });
  },
  deleteIncident(cfg: StatuspageConfig, id: string): Promise<unknown> {
    return statuspageRequest(cfg, "DELETE", `${page(cfg)}/incidents/${encodeURIComponent(id)}`);
  },
  updateComponent(cfg: StatuspageConfig, id: string, status: string): Promise<unknown> {
    return statuspageRequest(cfg, "PATCH", `${page(cfg)}/components/${encodeURIComponent(id)}`, { component: { status } });
  },
};
