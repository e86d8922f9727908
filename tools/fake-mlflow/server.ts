/**
 * A fake MLflow tracking server: the model-registry REST endpoints the bot uses, as MLflow documents them
 * (REST API 2.0: registered-models/alias GET/POST/DELETE, model-versions/get, model-versions/search), with
 * MLflow's error bodies `{"error_code","message"}`, bearer or basic auth, injectable failures and latency,
 * and MLflow 3.3+ registry webhooks signed as MLflow signs them. Every call is recorded.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeVersion {
  name: string;
  version: string;
  status: "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION";
  current_stage: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  run_id: string;
  source: string;
  aliases: string[];
}

export interface RecordedMlflowCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  at: number;
}

export interface FakeMlflowOptions {
  /** Require `Authorization: Bearer <token>`. */
  token?: string;
  /** Added to every answer, to measure behaviour against a slow registry. */
  latencyMs?: number;
  /** Deliver registry webhooks (MLflow 3.3+) here, signed with `secret`. */
  webhook?: { url: string; secret: string };
}

type AliasListener = (name: string, alias: string, version: string | null) => void;

export function signMlflowWebhook(secret: string, deliveryId: string, timestamp: number, body: string): string {
  return `v1,${createHmac("sha256", secret).update(`${deliveryId}.${timestamp}.${body}`).digest("base64")}`;
}

export class FakeMlflow {
  readonly calls: RecordedMlflowCall[] = [];
  readonly deliveries: { id: string; body: string; status: number }[] = [];
  private readonly models = new Map<string, { versions: Map<string, FakeVersion>; aliases: Map<string, string> }>();
  private failures: { status: number; count: number; method?: string }[] = [];
  private listeners: AliasListener[] = [];
  url = "";
  private server!: Server;

  constructor(readonly opts: FakeMlflowOptions = {}) {}

  /** Registers a model with versions "1".."n" (all READY) and points `alias` at `aliasVersion`. */
  addModel(name: string, versions: number, aliases: Record<string, string> = {}): void {
    const m = { versions: new Map<string, FakeVersion>(), aliases: new Map<string, string>() };
    for (let v = 1; v <= versions; v++) {
      const ts = Date.now() - (versions - v) * 86_400_000;
      m.versions.set(String(v), {
        name,
        version: String(v),
        status: "READY",
        current_stage: "None",
        creation_timestamp: ts,
        last_updated_timestamp: ts,
        run_id: randomUUID().replace(/-/g, ""),
        source: `models:/m-${v}`,
        aliases: [],
      });
    }
    this.models.set(name, m);
    for (const [a, v] of Object.entries(aliases)) m.aliases.set(a, v);
  }

  aliasOf(name: string, alias: string): string | undefined {
    return this.models.get(name)?.aliases.get(alias);
  }

  /** The next `count` calls (of `method`, if given) answer `status` with MLflow's error body. */
  failNext(status: number, count = 1, method?: string): void {
    this.failures.push({ status, count, method });
  }
  clearFailures(): void {
    this.failures = [];
  }

  onAliasChange(fn: AliasListener): void {
    this.listeners.push(fn);
  }

  /** Moves an alias as someone using the MLflow UI would (outside the bot): listeners and the webhook hear it. */
  async moveAliasOutside(name: string, alias: string, version: string): Promise<void> {
    this.setAlias(name, alias, version);
    await this.flushWebhooks();
  }

  /** Calls to a path suffix (e.g. "registered-models/alias") with a method. */
  callsTo(suffix: string, method?: string): RecordedMlflowCall[] {
    return this.calls.filter((c) => c.path.endsWith(suffix) && (!method || c.method === method));
  }

  private pending: Promise<void>[] = [];
  async flushWebhooks(): Promise<void> {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
  }

  private setAlias(name: string, alias: string, version: string | null): void {
    const m = this.models.get(name)!;
    if (version === null) m.aliases.delete(alias);
    else m.aliases.set(alias, version);
    for (const l of this.listeners) l(name, alias, version);
    this.deliver(version === null ? "deleted" : "created", { name, alias, ...(version ? { version } : {}) });
  }

  private deliver(action: string, data: Record<string, string>): void {
    const hook = this.opts.webhook;
    if (!hook) return;
    const body = JSON.stringify({ entity: "model_version_alias", action, timestamp: new Date().toISOString(), data });
    const id = randomUUID();
    const ts = Math.floor(Date.now() / 1000);
    this.pending.push(
      fetch(hook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-mlflow-signature": signMlflowWebhook(hook.secret, id, ts, body),
          "x-mlflow-delivery-id": id,
          "x-mlflow-timestamp": String(ts),
        },
        body,
      })
        .then((r) => void this.deliveries.push({ id, body, status: r.status }))
        .catch(() => void this.deliveries.push({ id, body, status: 0 })),
    );
  }

  private versionView(m: { aliases: Map<string, string> }, v: FakeVersion): FakeVersion {
    return { ...v, aliases: [...m.aliases].filter(([, x]) => x === v.version).map(([a]) => a) };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return this.send(req, url, raw, res, 400, err("MALFORMED_REQUEST", "Malformed JSON body"));
      }
    }
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs));
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? "GET";
    const fail = this.failures.find((f) => f.count > 0 && (!f.method || f.method === method));
    if (fail) {
      fail.count--;
      const code =
        fail.status === 401
          ? "UNAUTHENTICATED"
          : fail.status === 429
            ? "REQUEST_LIMIT_EXCEEDED"
            : fail.status === 404
              ? "RESOURCE_DOES_NOT_EXIST"
              : "INTERNAL_ERROR";
      return this.send(req, url, raw, res, fail.status, err(code, `Injected ${fail.status}`));
    }
    if (this.opts.token && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return this.send(req, url, raw, res, 401, err("UNAUTHENTICATED", "Credentials were not supplied or are invalid"));
    }
    const p = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, "");
    const args = { ...query, ...body } as Record<string, string>;
    const model = this.models.get(args.name ?? "");
    const noModel = () =>
      this.send(req, url, raw, res, 404, err("RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${args.name} not found`));
    if (p === "registered-models/alias") {
      if (!args.name || !args.alias)
        return this.send(req, url, raw, res, 400, err("INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name' or 'alias'"));
      if (!model) return noModel();
      if (method === "GET") {
        const v = model.aliases.get(args.alias);
        if (!v)
          return this.send(req, url, raw, res, 404, err("RESOURCE_DOES_NOT_EXIST", `Registered model alias ${args.alias} not found.`));
        return this.send(req, url, raw, res, 200, { model_version: this.versionView(model, model.versions.get(v)!) });
      }
      if (method === "POST") {
        const version = String(args.version ?? "");
        if (!model.versions.has(version)) {
          return this.send(
            req,
            url,
            raw,
            res,
            404,
            err("RESOURCE_DOES_NOT_EXIST", `Model Version (name=${args.name}, version=${version}) not found`),
          );
        }
        this.setAlias(args.name, args.alias, version);
        return this.send(req, url, raw, res, 200, {});
      }
      if (method === "DELETE") {
        this.setAlias(args.name, args.alias, null);
        return this.send(req, url, raw, res, 200, {});
      }
    }
    if (p === "model-versions/get" && method === "GET") {
      if (!model) return noModel();
      const v = model.versions.get(String(args.version));
      if (!v)
        return this.send(
          req,
          url,
          raw,
          res,
          404,
          err("RESOURCE_DOES_NOT_EXIST", `Model Version (name=${args.name}, version=${args.version}) not found`),
        );
      return this.send(req, url, raw, res, 200, { model_version: this.versionView(model, v) });
    }
    if (p === "model-versions/search" && (method === "GET" || method === "POST")) {
      const m = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(String(args.filter ?? "").trim());
      const found = m ? this.models.get(m[1]!.replace(/\\'/g, "'")) : undefined;
      const versions = found ? [...found.versions.values()].map((v) => this.versionView(found, v)).reverse() : [];
      return this.send(req, url, raw, res, 200, { model_versions: versions });
    }
    return this.send(req, url, raw, res, 404, err("ENDPOINT_NOT_FOUND", `No API endpoint ${method} ${url.pathname}`));
  }

  private send(req: IncomingMessage, url: URL, raw: string, res: ServerResponse, status: number, body: unknown): void {
    let parsed: unknown = raw;
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      // recorded as text
    }
    this.calls.push({
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: parsed,
      status,
      at: Date.now(),
    });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await this.flushWebhooks();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

const err = (error_code: string, message: string) => ({ error_code, message });

export async function startFakeMlflow(opts: FakeMlflowOptions = {}): Promise<FakeMlflow> {
  return new FakeMlflow(opts).start();
}

/**
 * A fake model service: GET /health answers `{"status":"ok","model_version":"<v>"}`. It follows the registry
 * alias `followDelayMs` after each move (like a server that reloads its model), or never when `follow` is false.
 */
export class FakeModelService {
  served: string;
  url = "";
  healthCalls = 0;
  private server!: Server;
  private timers: NodeJS.Timeout[] = [];
  constructor(
    mlflow: FakeMlflow,
    readonly opts: { name: string; alias: string; followDelayMs?: number; follow?: boolean; latencyMs?: number },
  ) {
    this.served = mlflow.aliasOf(opts.name, opts.alias) ?? "0";
    mlflow.onAliasChange((name, alias, version) => {
      if (name !== opts.name || alias !== opts.alias || version === null || opts.follow === false) return;
      this.timers.push(setTimeout(() => (this.served = version), opts.followDelayMs ?? 0));
    });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.healthCalls++;
      const answer = () => {
        res.writeHead(req.url?.startsWith("/health") ? 200 : 404, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "ok", model: this.opts.name, model_version: this.served }));
      };
      if (this.opts.latencyMs) setTimeout(answer, this.opts.latencyMs);
      else answer();
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/health`;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
