import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { SIGNING_SECRET } from "../helpers/harness.js";
import { emptyPgSchema, replicaEnv, startReplicas } from "../helpers/replicas.js";
import { dbKinds } from "../helpers/test-db.js";

/**
 * Issue 13 (1): replicas started at the same instant on an empty PostgreSQL all come up. Before the start-up
 * lock two of three died with `deadlock detected` in pg-boss's schema and queue creation.
 */
const kinds = await dbKinds();
const ROUNDS = 10;
const REPLICAS = 4;

describe.runIf(kinds.includes("pg"))("replicas started together on an empty PostgreSQL (pg)", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it(`${REPLICAS} processes come up ready, ${ROUNDS} rounds in a row, each on a fresh schema`, { timeout: 300_000 }, async () => {
    const fake: FakeSlack = await startFakeSlack();
    cleanups.push(() => fake.close());
    for (let round = 0; round < ROUNDS; round++) {
      const db = await emptyPgSchema();
      const apps = await startReplicas(REPLICAS, replicaEnv(fake.apiUrl, db, SIGNING_SECRET));
      try {
        // Every replica is ready and serves from the one, fully migrated database.
        const answers = await Promise.all(apps.map(async (a) => (await fetch(`${a.url}/readyz`)).status));
        expect(answers, `round ${round}`).toEqual(Array(REPLICAS).fill(200));
        for (const a of apps) expect(a.output(), `round ${round}`).not.toMatch(/deadlock|Could not start/);
      } finally {
        await Promise.all(apps.map((a) => a.kill()));
        await db.drop();
      }
    }
  });
});
