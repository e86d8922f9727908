import { describe, expect, it } from "vitest";
import { JobQueue } from "../../src/jobs/queue.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";
import { eventually } from "../helpers/harness.js";
import { createTestDb } from "../helpers/test-db.js";

describe("job queue when the database goes away", () => {
  it("a batch that finishes after the database closed does not leave an unhandled rejection", async () => {
    const db = await createTestDb("pglite");
    const queue = await JobQueue.start(db, { pollSeconds: 0.5, log: createLogger("silent"), metrics: createMetrics() });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      let ran!: () => void;
      const handled = new Promise<void>((r) => (ran = r));
      await queue.work("housekeeping", async () => {
        await db.pglite!.close(); // gone before pg-boss records the completion
        ran();
      });
      await queue.send("housekeeping", { kind: "sweep" });
      await handled;
      await new Promise((r) => setTimeout(r, 300)); // pg-boss's fire-and-forget complete() has failed by now
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await queue.stop().catch(() => {});
    }
  });

  it("a job that hangs does not hold back the others: the worker tops up as each one finishes", async () => {
    const db = await createTestDb("pglite");
    const queue = await JobQueue.start(db, { pollSeconds: 0.2, log: createLogger("silent"), metrics: createMetrics() });
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    let first = true;
    const finished: string[] = [];
    try {
      await queue.work(
        "housekeeping",
        async (_data, { id }) => {
          if (first) {
            first = false;
            await hung; // like a Slack call waiting on its rate tier
          }
          finished.push(id);
        },
        2,
      );
      for (let i = 0; i < 4; i++) await queue.send("housekeeping", { kind: "sweep" });
      // With two slots, one held by the hung job, the other three still run one after another.
      await eventually(() => finished.length === 3, 10_000, "three jobs finished beside the hung one");
    } finally {
      release();
      await queue.stop().catch(() => {});
      await db.close();
    }
  });
});
