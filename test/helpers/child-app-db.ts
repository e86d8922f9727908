import { createDb, type Db } from "../../src/db.js";
import { resolveDbTarget } from "../../src/db/target.js";
import { templateDataDir } from "./child-app.js";
import { createTestDb, type TestDbKind } from "./test-db.js";

/**
 * A database for an app that runs as its own process (the kill tests): the env that points the app at it, and
 * `open()` for the test to read it once the app has stopped (`close()` after: one process at a time may open a
 * PGlite directory). PGlite: a data directory copied from the template; PostgreSQL: a database of its own. Both
 * are removed by `cleanups`.
 */
export async function childAppDatabase(
  kind: TestDbKind,
  prefix: string,
  cleanups: (() => Promise<void>)[],
): Promise<{ env: Record<string, string>; open: () => Promise<Db>; close: () => Promise<void> }> {
  if (kind === "pglite") {
    const made = templateDataDir(prefix);
    cleanups.push(made.remove);
    let opened: Db | undefined;
    return {
      env: { DATA_DIR: made.dataDir },
      open: async () => (opened = await createDb(resolveDbTarget({ DATA_DIR: made.dataDir }))),
      close: async () => {
        await opened?.close();
        opened = undefined;
      },
    };
  }
  const pgDb = await createTestDb("pg");
  await pgDb.prisma.$disconnect(); // the app connects on its own; the test's client reconnects when it reads
  cleanups.push(() => pgDb.close());
  return { env: { DATABASE_URL: pgDb.url!, JOB_SCHEMA: `pgboss_${pgDb.schema}` }, open: async () => pgDb, close: async () => {} };
}
