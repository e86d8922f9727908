import type { Config } from "../config.js";

/** A registry call that failed: HTTP status (0 = no answer), MLflow's error_code and message. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
  /** One line for the channel, e.g. "MLflow answered 404 RESOURCE_DOES_NOT_EXIST: …". */
  get plain(): string {
    return this.status === 0 ? `MLflow did not answer: ${this.message}` : `MLflow answered ${this.status} ${this.code}: ${this.message}`;
  }
}

export interface ModelVersion {
  name: string;
  version: string;
  status?: string;
  current_stage?: string;
  creation_timestamp?: number;
  aliases?: string[];
}

const TIMEOUT_MS = 5000;

/** MLflow's REST API (2.0 paths), the calls the bot uses. Retries 429/5xx twice with a short backoff. */
export class MlflowClient {
  /** Calls made, for the benchmark and the demo. */
  calls = 0;
  constructor(private readonly cfg: Config["mlflow"]) {}

  get configured(): boolean {
    return Boolean(this.cfg.trackingUri);
  }

  /** The version an alias points to, or null when the alias is not set. */
  async getAlias(name: string, alias: string): Promise<ModelVersion | null> {
    try {
      const r = await this.call<{ model_version: ModelVersion }>("GET", "registered-models/alias", { name, alias });
      return r.model_version;
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404 && /alias/i.test(e.message)) return null;
      throw e;
    }
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call("POST", "registered-models/alias", undefined, { name, alias, version });
  }

  async getVersion(name: string, version: string): Promise<ModelVersion | null> {
    try {
      const r = await this.call<{ model_version: ModelVersion }>("GET", "model-versions/get", { name, version });
      return r.model_version;
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404) return null;
      throw e;
    }
  }

  async searchVersions(name: string): Promise<ModelVersion[]> {
    const r = await this.call<{ model_versions?: ModelVersion[] }>("GET", "model-versions/search", {
      filter: `name='${name.replace(/'/g, "\\'")}'`,
      max_results: "200",
    });
    return r.model_versions ?? [];
  }

  private async call<T>(method: "GET" | "POST", path: string, query?: Record<string, string>, body?: unknown): Promise<T> {
    if (!this.cfg.trackingUri) throw new RegistryError(0, "NOT_CONFIGURED", "MLFLOW_TRACKING_URI is not set");
    const url = `${this.cfg.trackingUri}/api/2.0/mlflow/${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.cfg.token) headers.authorization = `Bearer ${this.cfg.token}`;
    else if (this.cfg.username) {
      headers.authorization = `Basic ${Buffer.from(`${this.cfg.username}:${this.cfg.password ?? ""}`).toString("base64")}`;
    }
    for (let attempt = 0; ; attempt++) {
      this.calls++;
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (e) {
        const err = new RegistryError(
          0,
          "UNAVAILABLE",
          (e as Error).name === "TimeoutError" ? `no answer in ${TIMEOUT_MS / 1000} s` : (e as Error).message,
        );
        if (attempt < 2) {
          await sleep(250 * 2 ** attempt);
          continue;
        }
        throw err;
      }
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      if ((res.status === 429 || res.status >= 500) && attempt < 2) {
        const retryAfter = Number(res.headers.get("retry-after"));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 5) * 1000 : 250 * 2 ** attempt);
        continue;
      }
      let code = "HTTP_ERROR";
      let message = text.slice(0, 200) || res.statusText;
      try {
        const j = JSON.parse(text) as { error_code?: string; message?: string };
        code = j.error_code ?? code;
        message = j.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new RegistryError(res.status, code, message);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the model's health URL reports as the served version (the dotted field), or an error line. */
export async function readHealthVersion(url: string, field: string): Promise<{ version: string } | { error: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "application/json" } });
    if (!res.ok) return { error: `health answered ${res.status}` };
    let v: unknown = await res.json();
    for (const part of field.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
    if (v === undefined || v === null) return { error: `health JSON has no ${field}` };
    return { version: String(v) };
  } catch (e) {
    return { error: `health did not answer: ${(e as Error).message}` };
  }
}
