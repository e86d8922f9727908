import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import type { DbTarget } from "./target.js";

// One fixed key for all start-up DDL (migrations, pg-boss's schema, queue creation); not the Prisma CLI's
// migration key, which the migrator takes inside it on its own connection.
export const STARTUP_LOCK_KEY = 72707371;

/**
 * Runs `fn` while holding a PostgreSQL session advisory lock on one dedicated connection, so replicas started
 * at the same instant on an empty database do their DDL one after another instead of deadlocking on
 * pg-boss's schema and queue tables. PGlite is single-process: `fn` just runs.
 */
export async function withStartupLock<T>(target: DbTarget, fn: () => Promise<T>): Promise<T> {
  if (target.driver !== "pg") return fn();
  const { schema: _schema, ...cfg } = parseIntoClientConfig(target.url) as pg.ClientConfig & { schema?: string };
  const client = new pg.Client({ ...cfg, application_name: "incident-bot start-up lock" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [STARTUP_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [STARTUP_LOCK_KEY]).catch(() => {});
    }
  } finally {
    // Ending the session also drops the lock if the unlock above could not be sent.
    await client.end().catch(() => {});
  }
}
