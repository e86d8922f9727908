import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { createDb, type Db } from "../../src/db.js";
import { readMigrations } from "../../src/db/migrate.js";
import { migrateDb } from "../../src/db/open-database.js";
import { JobQueue, QUEUES } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";

export type FreshDbKind = "pglite" | "pg";
export type FreshDb = Db & { schema?: string; url?: string };

/** The schema of the app's tables in every PostgreSQL test database; its jobs are in `pgboss_app`. */
const APP_SCHEMA = "app";
const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * A migrated database of its own, with no vitest in it (the tests and bench/ both use it):
 * pglite: in-memory PGlite migrated by the app's migrator; pg: a database of its own on `pgUrl`'s server, cloned
 * from a template with the migrations and the job queue's schema in place (CREATE DATABASE … TEMPLATE copies
 * files instead of running the DDL again), dropped on close().
 */
export async function createFreshDb(kind: FreshDbKind, pgUrl: string, prefix = "test"): Promise<FreshDb> {
  if (kind === "pglite") {
    const db = await createDb({ driver: "pglite", dataDir: undefined });
    await migrateDb(db);
    return db;
  }
  const template = await ensurePgTemplate(pgUrl);
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`.toLowerCase();
  const admin = new pg.Client(parseIntoClientConfig(pgUrl) as pg.ClientConfig);
  await admin.connect();
  try {
    await createFrom(admin, name, template);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const url = databaseUrl(pgUrl, name);
  const db = await createDb({ driver: "pg", url });
  return {
    ...db,
    schema: APP_SCHEMA,
    url,
    close: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** `pgUrl` pointed at database `name`, with the app's schema. */
function databaseUrl(pgUrl: string, name: string): string {
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  url.searchParams.set("schema", APP_SCHEMA);
  return url.toString();
}

/** Clones the template; retried while another clone of it is starting (PostgreSQL allows one user of a template). */
async function createFrom(admin: pg.Client, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (err) {
      const busy = /being accessed by other users/.test((err as Error).message);
      if (!busy || attempt >= 100) throw err;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80));
    }
  }
}

/**
 * What a template database depends on, as 16 hex digits: the migrations, pg-boss's version and the queue list
 * (and `extra`, e.g. the PGlite version). A change to any of them makes a new template.
 */
export async function templateKey(extra: string[] = []): Promise<string> {
  const hash = createHash("sha256").update(packageVersion("pg-boss")).update(JSON.stringify(QUEUES));
  for (const e of extra) hash.update(e);
  for (const m of await readMigrations()) hash.update(m.name).update(m.sql);
  return hash.digest("hex").slice(0, 16);
}

export const packageVersion = (pkg: string) =>
  JSON.parse(readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string;

/** Creates the job queue's schema and queues in `db`, as the app's first start does, and stops the queue. */
export async function installJobQueue(db: Db, schema?: string): Promise<void> {
  const jobs = await JobQueue.start(db, { schema, pollSeconds: 60, log: createLogger("silent"), metrics: createMetrics() });
  await jobs.stop();
}

let templateReady: Promise<string> | undefined;

/**
 * The template database for this code's migrations and queues (named by their hash), built once per server: the
 * first process to need it builds it under a lock, the others wait and reuse it. Stale templates are dropped.
 */
export function ensurePgTemplate(pgUrl: string): Promise<string> {
  templateReady ??= buildPgTemplate(pgUrl).catch((e) => {
    templateReady = undefined;
    throw e;
  });
  return templateReady;
}

async function buildPgTemplate(pgUrl: string): Promise<string> {
  const name = `igb_template_${await templateKey()}`;
  const admin = new pg.Client(parseIntoClientConfig(pgUrl) as pg.ClientConfig);
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('igb test template'))");
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return name;
    const stale = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'igb\\_template\\_%'");
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const url = databaseUrl(pgUrl, building);
    const setup = new pg.Client(parseIntoClientConfig(url) as pg.ClientConfig);
    await setup.connect();
    await setup.query(`CREATE SCHEMA "${APP_SCHEMA}"`);
    await setup.end();
    const db = await createDb({ driver: "pg", url });
    try {
      await migrateDb(db);
      await installJobQueue(db, `pgboss_${APP_SCHEMA}`);
    } finally {
      await db.close();
    }
    // Published by its name only once complete: a build cut short leaves a `_building` database, never a template.
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    return name;
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext('igb test template'))").catch(() => undefined);
    await admin.end();
  }
}
