import path from "node:path";

/** Where the database lives. Decided only from real env vars (never from Prisma's placeholder URL). */
export type DbTarget = { driver: "pg"; url: string } | { driver: "pglite"; dataDir: string | undefined }; // undefined = in memory

const PG_URL = /^postgres(ql)?:\/\//i;

export class DbTargetError extends Error {}

/**
 * CONTRACT: DATABASE_URL unset → embedded PGlite under DATA_DIR (default ./data); postgres:// or
 * postgresql:// → PostgreSQL; anything else is an error. DATA_DIR=memory:// keeps PGlite in memory.
 */
export function resolveDbTarget(env: { DATABASE_URL?: string; DATA_DIR?: string }): DbTarget {
  const url = env.DATABASE_URL?.trim() || undefined;
  if (url) {
    if (!PG_URL.test(url)) {
      throw new DbTargetError("DATABASE_URL must be a postgres:// or postgresql:// URL (or unset for the embedded database)");
    }
    return { driver: "pg", url };
  }
  const dataDir = env.DATA_DIR?.trim() || "./data";
  if (dataDir === "memory://") return { driver: "pglite", dataDir: undefined };
  return { driver: "pglite", dataDir: path.resolve(dataDir, "pglite") };
}
