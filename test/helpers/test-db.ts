import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { openPGlite } from "../../src/db/adapters.js";
import { createDbFromPGlite } from "../../src/db.js";
import { createFreshDb, type FreshDb } from "./fresh-db.js";
import { pgReachable as reachable } from "./pg-reachable.js";

export type TestDbKind = "pglite" | "pg";

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

let pgReachable: Promise<boolean> | undefined;

/** Is the test PostgreSQL server up? With CI=true an unreachable server is a failure, not a skip. */
export function isPgReachable(): Promise<boolean> {
  pgReachable ??= reachable(TEST_PG_URL);
  return pgReachable;
}

/** The database kinds this run covers: PGlite always; PostgreSQL when reachable (required with CI=true). */
export async function dbKinds(): Promise<TestDbKind[]> {
  if (process.env.TEST_SKIP_PG === "1" && process.env.CI !== "true") return ["pglite"];
  if (await isPgReachable()) return ["pglite", "pg"];
  if (process.env.CI === "true") {
    throw new Error(`CI=true but PostgreSQL at ${TEST_PG_URL} is unreachable: the PostgreSQL tests must run in CI`);
  }
  console.warn(`[tests] PostgreSQL at ${TEST_PG_URL} is unreachable: skipping the PostgreSQL variants (they run in CI)`);
  return ["pglite"];
}

export type TestDb = FreshDb;

/**
 * pglite: in-memory PGlite loaded from the migrated template dump built by test/global-setup.ts (else migrated here).
 * pg: a fresh schema in TEST_DATABASE_URL, migrated with the app's own migrator, dropped on close() (fresh-db.ts).
 */
export async function createTestDb(kind: TestDbKind): Promise<TestDb> {
  if (kind === "pglite") {
    const template = inject("pgliteTemplate");
    if (template) {
      const pglite = await openPGlite(undefined, { loadDataDir: new Blob([await readFile(template)]) });
      return createDbFromPGlite(pglite);
    }
  }
  return createFreshDb(kind, TEST_PG_URL, `test_${process.pid}`);
}
