import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "./generated/prisma/client.js";
import { openPGlite, pgAdapterFactory, pgliteAdapterFactory } from "./db/adapters.js";
import { capturingAdapter } from "./db/direct-sql.js";
import { gatePGlite } from "./db/pglite-gate.js";
import type { DbTarget } from "./db/target.js";

export { Prisma } from "./generated/prisma/client.js";
export type { PrismaClient } from "./generated/prisma/client.js";
export type { DbTarget };

/**
 * Bursts (dozens of declarations or alerts at once) queue for a connection: wait up to 15 s for one
 * instead of Prisma's 2 s default, which under load failed transactions that would have run fine.
 */
const TRANSACTIONS = { maxWait: 15_000, timeout: 20_000 };
const PG_POOL_SIZE = 15;

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
  gatePGlite(pglite); // request work before background work, and Node reads sockets between statements
  const { factory, link } = capturingAdapter(pgliteAdapterFactory(pglite)); // see direct-sql.ts
  const prisma = new PrismaClient({ adapter: factory, transactionOptions: TRANSACTIONS });
  link(prisma);
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

export async function createDb(target: DbTarget): Promise<Db> {
  if (target.driver === "pg") {
    const { factory, link } = capturingAdapter(pgAdapterFactory(target.url, { max: PG_POOL_SIZE })); // see direct-sql.ts
    const prisma = new PrismaClient({ adapter: factory, transactionOptions: TRANSACTIONS });
    link(prisma);
    return { prisma, target, close: () => prisma.$disconnect() }; // $disconnect ends the adapter's pool
  }
  return createDbFromPGlite(await openPGlite(target.dataDir), target);
}
