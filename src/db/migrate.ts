import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

// src/db/ when run from source, dist/src/db/ when run compiled: look upwards for prisma/migrations.
const MIGRATIONS_DIR =
  ["../../prisma/migrations", "../../../prisma/migrations"].map((p) => path.resolve(import.meta.dirname, p)).find((p) => existsSync(p)) ??
  path.resolve(import.meta.dirname, "../../prisma/migrations");

/** Runs one multi-statement SQL script (PGlite exec / pg simple query) and returns rows of the last one. */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(path.join(dir, name, "migration.sql"), "utf8") })));
}

// Same bookkeeping table as `prisma migrate deploy`, so `prisma migrate status` agrees with what we applied.
const BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies pending migrations in-process (no Prisma CLI: it takes ~2 s even with nothing to do and cannot
 * share an in-memory PGlite). Serialised with the advisory lock key the Prisma CLI uses, so two starting
 * processes (or the CLI) never apply the same migration twice. Returns the names applied.
 */
export async function applyPendingMigrations(run: SqlRunner, dir?: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await run("SELECT pg_advisory_lock(72707369)");
  try {
    await run(BOOKKEEPING);
    const done = await run(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`);
    const applied = new Set(done.rows.map((r) => r.migration_name as string));
    const ran: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.name)) continue;
      const id = randomUUID();
      const checksum = createHash("sha256").update(m.sql).digest("hex");
      await run(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('${id}', '${checksum}', '${m.name.replace(/'/g, "''")}', now(), 0)`,
      );
      // The script and its bookkeeping commit together: a failed migration leaves nothing half-applied.
      await run(
        `BEGIN;\n${m.sql}\n;UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = '${id}';\nCOMMIT;`,
      ).catch(async (e) => {
        await run("ROLLBACK").catch(() => {});
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      });
      ran.push(m.name);
    }
    return ran;
  } finally {
    await run("SELECT pg_advisory_unlock(72707369)");
  }
}
