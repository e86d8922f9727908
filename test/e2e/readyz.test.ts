import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { describe, expect, it } from "vitest";
import { STARTUP_LOCK_KEY } from "../../src/db/startup-lock.js";
import { startFakeSlack } from "../../tools/fake-slack/server.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { startChildApp } from "../helpers/child-app.js";
import { eventually, SIGNING_SECRET, startHarness } from "../helpers/harness.js";
import { emptyPgSchema, replicaEnv } from "../helpers/replicas.js";
import { dbKinds, TEST_PG_URL } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("GET /readyz (%s)", (kind) => {
  it("answers 200 once migrations and the job queue are up, 503 once the app is stopping; /healthz stays liveness", async () => {
    const h = await startHarness(kind);
    try {
      const ready = await fetch(`${h.appUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
      // The queue really is up: its tables answer.
      await expect(h.app.ctx.jobs.boss.getQueues()).resolves.not.toHaveLength(0);
      // What stop() sets first: a load balancer takes the replica out while its work finishes.
      h.app.ctx.jobs.draining = true;
      const stopping = await fetch(`${h.appUrl}/readyz`);
      expect(stopping.status).toBe(503);
      expect(await stopping.json()).toEqual({ status: "stopping" });
      expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

/** Tables in a schema: none until the app's migrations ran. */
async function tableCount(admin: pg.Client, schema: string): Promise<number> {
  const r = await admin.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1", [schema]);
  return r.rows[0].n as number;
}

describe.runIf(kinds.includes("pg"))("while the app starts (pg)", () => {
  it(
    "the port answers before migrations: /readyz and /healthz 503 starting, other routes 503 with Retry-After; then ready",
    { timeout: 90_000 },
    async () => {
      const fake = await startFakeSlack();
      const db = await emptyPgSchema();
      // Another replica's start-up, as the app sees it: the start-up advisory lock is held, so migrations wait.
      const holder = new pg.Client(parseIntoClientConfig(TEST_PG_URL) as pg.ClientConfig);
      await holder.connect();
      await holder.query("SELECT pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
      let locked = true;
      const app = await startChildApp(replicaEnv(fake.apiUrl, db, SIGNING_SECRET, { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN }), false);
      try {
        const readyz = await eventually(
          async () => {
            if (app.proc.exitCode !== null) throw new Error(`app exited with ${app.proc.exitCode}: ${app.output()}`);
            return await fetch(`${app.url}/readyz`).catch(() => null);
          },
          30_000,
          "the port open",
        );
        expect(readyz.status).toBe(503);
        expect(readyz.headers.get("retry-after")).toBe("5");
        expect(await readyz.json()).toEqual({ status: "starting" });
        // Waiting for the lock means waiting before migrations: the schema is still empty.
        expect(await tableCount(holder, db.schema)).toBe(0);

        const health = await fetch(`${app.url}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.json()).toEqual({ status: "starting" });
        const alert = { source: "readyz", title: "Feature store lagging", fingerprint: "readyz/1", severity: "warning" };
        const early = await postAlert(app.url, "generic", alert);
        expect(early.status).toBe(503);
        expect(early.json.error).toMatch(/starting/);
        const slack = await fetch(`${app.url}/slack/events`, { method: "POST", body: "{}" });
        expect(slack.status).toBe(503);
        expect(slack.headers.get("retry-after")).toBe("5");
        // Still waiting a moment later: nothing but the lock holds it.
        await new Promise((r) => setTimeout(r, 500));
        expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
        expect(app.proc.exitCode).toBeNull();

        await holder.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]);
        locked = false;
        await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, 30_000, "ready once the lock is free");
        expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({ status: "ready" });
        expect(await tableCount(holder, db.schema)).toBeGreaterThan(0);
        expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: "ok" });
        // The same alert, sent again as its sender would retry a 503, is now taken.
        const later = await postAlert(app.url, "generic", alert);
        expect(later.status).toBe(202);
        expect(later.json.accepted).toBe(1);
      } finally {
        if (locked) await holder.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]).catch(() => {});
        await app.kill();
        await holder.end();
        await db.drop();
        await fake.close();
      }
    },
  );
});
