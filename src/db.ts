import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "./generated/prisma/client.js";
import { openPGlite, pgAdapterFactory, pgliteAdapterFactory } from "./db/adapters.js";
import { resolveDbTarget, type DbTarget } from "./db/target.js";

export { Prisma } from "./generated/prisma/client.js";
export type { PrismaClient } from "./generated/prisma/client.js";
export type { DbTarget };

export interface Db {
  prisma: PrismaClient;
  target: DbTarget;
  /** The PGlite instance when driver = pglite (e.g. to exec migration SQL in tests). */
  pglite?: PGlite;
  /** Disconnects Prisma and closes PGlite / ends the pg pool. Required for a clean exit. */
  close(): Promise<void>;
}

/** Wrap an already-open PGlite (e.g. a test instance loaded from a template dump). close() closes it. */
export function createDbFromPGlite(pglite: PGlite, target: DbTarget = { driver: "pglite", dataDir: undefined }): Db {
  const prisma = new PrismaClient({ adapter: pgliteAdapterFactory(pglite) });
  return {
    prisma,
    target,
    pglite,
    close: async () => {
      await prisma.$disconnect();
      await pglite.close(); // the adapter never closes PGlite; without this a file-backed PGlite keeps the process alive
    },
  };
}

export async function createDb(target: DbTarget = resolveDbTarget()): Promise<Db> {
  if (target.driver === "pg") {
    const prisma = new PrismaClient({ adapter: pgAdapterFactory(target.url) });
    return { prisma, target, close: () => prisma.$disconnect() }; // $disconnect ends the adapter's pool
  }
  return createDbFromPGlite(await openPGlite(target.dataDir), target);
}
