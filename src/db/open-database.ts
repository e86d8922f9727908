import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { createDb, type Db } from "../db.js";
import { applyPendingMigrations } from "./migrate.js";
import type { DbTarget } from "./target.js";

/** Opens the database and applies pending migrations (PGlite: same instance; PostgreSQL: one short client). */
export async function openDatabase(target: DbTarget): Promise<{ db: Db; applied: string[] }> {
  const db = await createDb(target);
  try {
    return { db, applied: await migrateDb(db) };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

export async function migrateDb(db: Db): Promise<string[]> {
  if (db.target.driver === "pglite") {
    const pglite = db.pglite!;
    return applyPendingMigrations(async (sql) => ({ rows: (await pglite.exec(sql)).at(-1)?.rows ?? [] }));
  }
  const { schema, ...cfg } = parseIntoClientConfig(db.target.url) as pg.ClientConfig & { schema?: string };
  const client = new pg.Client(cfg);
  await client.connect();
  try {
    if (schema) await client.query(`SET search_path TO "${String(schema).replace(/"/g, "")}"`);
    return await applyPendingMigrations(async (sql) => {
      const r = await client.query(sql);
      const last = Array.isArray(r) ? r.at(-1) : r;
      return { rows: last?.rows ?? [] };
    });
  } finally {
    await client.end();
  }
}
