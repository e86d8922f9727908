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
