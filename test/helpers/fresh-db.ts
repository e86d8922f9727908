import pg from "pg";
import { parseIntoClientConfig } from "pg-connection-string";
import { createDb, type Db } from "../../src/db.js";
import { migrateDb } from "../../src/db/open-database.js";

export type FreshDbKind = "pglite" | "pg";
export type FreshDb = Db & { schema?: string; url?: string };

/**
 * A migrated database of its own, with no vitest in it (the tests and bench/ both use it):
 * pglite: in-memory PGlite migrated by the app's migrator; pg: a fresh schema in `pgUrl`, dropped (with its
 * pg-boss schema) on close().
 */
export async function createFreshDb(kind: FreshDbKind, pgUrl: string, schemaPrefix = "test"): Promise<FreshDb> {
  if (kind === "pglite") {
    const db = await createDb({ driver: "pglite", dataDir: undefined });
    await migrateDb(db);
    return db;
  }
  const schema = `${schemaPrefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client(parseIntoClientConfig(pgUrl) as pg.ClientConfig);
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const url = new URL(pgUrl);
  url.searchParams.set("schema", schema);
  let db: Db;
  try {
    db = await createDb({ driver: "pg", url: url.toString() });
    await migrateDb(db);
  } catch (err) {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
    throw err;
  }
  return {
    ...db,
    schema,
    url: url.toString(),
    close: async () => {
      await db.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`);
      await admin.end();
    },
  };
}
