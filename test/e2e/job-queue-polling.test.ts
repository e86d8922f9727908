import { describe, expect, it } from "vitest";
import { JobQueue, type QueueKey } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";
import { eventually } from "../helpers/harness.js";
import { createTestDb, dbKinds, type TestDbKind } from "../helpers/test-db.js";

const kinds = await dbKinds();
const POLL_SECONDS = 0.2;
/** Queues worked by the idle app below (payload-free jobs are enough: nothing is sent to most of them). */
const IDLE_QUEUES: QueueKey[] = ["housekeeping", "reviewTick", "clockWake", "render", "announce", "bookmarks", "gateRender", "reviewDraft"];

/** Every statement pg-boss sends for this queue, by kind (its fetch, and our due poll), counted as they go. */
function countStatements(queue: JobQueue): { fetches: () => number; duePolls: () => number } {
  const db = queue.boss.getDb();
  const executeSql = db.executeSql.bind(db);
  let fetches = 0;
  let duePolls = 0;
  db.executeSql = (text, values) => {
    if (/WITH next as/i.test(text)) fetches++;
    if (/FROM unnest\(\$1::text\[\]\)/.test(text)) duePolls++;
    return executeSql(text, values);
  };
  return { fetches: () => fetches, duePolls: () => duePolls };
}

/** A database of its own and a job queue on it, in the job schema the app would use there. */
async function startQueue(kind: TestDbKind) {
  const db = await createTestDb(kind);
  const schema = db.schema ? `pgboss_${db.schema}` : "pgboss";
  const queue = await JobQueue.start(db, { schema, pollSeconds: POLL_SECONDS, log: createLogger("silent"), metrics: createMetrics() });
  return { db, queue };
}

describe.each(kinds)("job queue polling (%s)", (kind) => {
  it("an idle app asks once per interval which queues have a job due, instead of fetching from every queue", async () => {
    const { db, queue } = await startQueue(kind);
    try {
      const counts = countStatements(queue);
      for (const q of IDLE_QUEUES) await queue.work(q, async () => {});
      await new Promise((r) => setTimeout(r, 2000)); // ten poll intervals, nothing to do
      // Each loop fetches once as it starts; after that only the due poll runs (about one per interval).
      expect(counts.fetches()).toBeLessThanOrEqual(IDLE_QUEUES.length);
      expect(counts.duePolls()).toBeGreaterThanOrEqual(3);
      expect(counts.duePolls()).toBeLessThanOrEqual(11);
    } finally {
      await queue.stop();
      await db.close();
    }
  });

  it("a job sent without a wake (as another replica sends it) and a job due later both run, found by the due poll", async () => {
    const { db, queue } = await startQueue(kind);
    const ran: { kind: string; at: number }[] = [];
    try {
      await queue.work("housekeeping", async (data) => {
        ran.push({ kind: data.kind, at: Date.now() });
      });
      await new Promise((r) => setTimeout(r, 500)); // the loop is idle: it naps until something wakes it
      const sentAt = Date.now();
      await queue.boss.send("housekeeping", { kind: "sweep" }); // straight into the table: no local wake
      await eventually(() => ran.length === 1, 5000, "the job sent without a wake ran");
      expect(ran[0]!.at - sentAt).toBeLessThan(3000); // within a few poll intervals, not the idle backstop (6 s)

      const due = Date.now() + 1500;
      await queue.send("housekeeping", { kind: "sweep" }, { startAfter: new Date(due) });
      await eventually(() => ran.length === 2, 8000, "the delayed job ran");
      expect(ran[1]!.at).toBeGreaterThanOrEqual(due - 50);
      expect(ran[1]!.at - due).toBeLessThan(3000);
    } finally {
      await queue.stop();
      await db.close();
    }
  });
});
