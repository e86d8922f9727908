import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { type ChildApp, startChildApp } from "./child-app.js";
import { TEST_PG_URL } from "./test-db.js";

/** An EMPTY schema (no migrations, no pg-boss tables): what replicas of a fresh deploy find. Dropped by drop(). */
export async function emptyPgSchema(): Promise<{ url: string; schema: string; jobSchema: string; drop(): Promise<void> }> {
  const schema = `rep_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client(parseIntoClientConfig(TEST_PG_URL) as pg.ClientConfig);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(TEST_PG_URL);
  url.searchParams.set("schema", schema);
  const jobSchema = `pgboss_${schema}`;
  return {
    url: url.toString(),
    schema,
    jobSchema,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "${jobSchema}" CASCADE`);
      await admin.end();
    },
  };
}

/** The environment of a replica: Slack through `slackApiUrl` (the fake), the database `db`, plus `extra`. */
export function replicaEnv(
  slackApiUrl: string,
  db: { url: string; jobSchema: string },
  signingSecret: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-replicas",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slackApiUrl,
    SLACK_PACING: "false",
    DATABASE_URL: db.url,
    JOB_SCHEMA: db.jobSchema,
    ...extra,
  };
}

/** Starts n app processes at the same instant and waits until each answers /readyz 200 (or one exits). */
export async function startReplicas(n: number, env: Record<string, string>, timeoutMs = 45_000): Promise<ChildApp[]> {
  const apps = await Promise.all(Array.from({ length: n }, () => startChildApp(env, false, { compiled: true })));
  try {
    const deadline = Date.now() + timeoutMs;
    await Promise.all(
      apps.map(async (app, i) => {
        // A replica that exits fails the start at once (eventually() would wait out its timeout).
        for (;;) {
          if (app.proc.exitCode !== null) throw new Error(`replica ${i} exited with ${app.proc.exitCode}: ${app.output()}`);
          if ((await fetch(`${app.url}/readyz`).catch(() => null))?.status === 200) return;
          if (Date.now() > deadline) throw new Error(`replica ${i} not ready after ${timeoutMs} ms: ${app.output()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
  } catch (e) {
    await Promise.all(apps.map((a) => a.kill()));
    throw e;
  }
  return apps;
}

/**
 * A small round-robin HTTP proxy, like a load balancer in front of replicas: each request goes to the next
 * upstream over a keep-alive connection; an upstream that refuses the connection (restarting) is skipped.
 * `upstreams` may be changed live. node:http with pooled sockets, not fetch(): the proxy shares the machine's
 * cores with the replicas it measures, so it must cost little per request.
 */
export async function roundRobinProxy(upstreams: string[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const forward = (target: URL, req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
      delete headers["transfer-encoding"];
      delete headers.connection;
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "text/plain" });
        answer.pipe(res);
        answer.once("end", () => resolve(true));
        answer.once("error", () => resolve(true));
      });
      up.once("error", () => resolve(false)); // refused or reset: the replica is restarting
      up.end(body);
    });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    for (let tries = 0; tries < upstreams.length * 2; tries++) {
      if (await forward(new URL(upstreams[next++ % upstreams.length]!), req, body, res)) return;
    }
    res.writeHead(502).end("no upstream answered");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
