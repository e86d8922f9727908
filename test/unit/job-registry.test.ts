import { describe, expect, it, vi } from "vitest";
import { JobPayloadError, parseJobData, type QueueKey, QUEUES } from "../../src/jobs/payloads.js";
import { JobQueue } from "../../src/jobs/queue.js";
import { JOBS } from "../../src/jobs/registry.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";
import { createTestDb } from "../helpers/test-db.js";

describe("job registry", () => {
  it("has one entry per queue, each with its name, policy, schema, handler and batch size", () => {
    expect(Object.keys(JOBS).sort()).toEqual(Object.keys(QUEUES).sort());
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      const entry = JOBS[key];
      expect(entry.name, key).toBe(QUEUES[key].name);
      expect(entry.policy, key).toBe(QUEUES[key].policy);
      expect(entry.schema, key).toBe(QUEUES[key].schema);
      expect(typeof entry.handler, key).toBe("function");
      expect(entry.batchSize, key).toBeGreaterThan(0);
    }
    const names = Object.values(QUEUES).map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("a payload that fails its schema is refused with the queue and the field named", () => {
    expect(parseJobData("render", { incidentId: 7 })).toEqual({ incidentId: 7 });
    expect(() => parseJobData("render", { incidentId: "7" })).toThrow(JobPayloadError);
    expect(() => parseJobData("render", { incidentId: "7" })).toThrow(/invalid render job payload: incidentId/);
    expect(() => parseJobData("housekeeping", { kind: "nonsense" })).toThrow(/invalid housekeeping job payload/);
    expect(parseJobData("gateChase", {})).toEqual({});
  });
});

describe("job queue with the registry's schemas", () => {
  it("refuses a bad payload at send time, round-trips a good one, and fails a bad stored one without running it", async () => {
    const db = await createTestDb("pglite");
    const log = createLogger("silent");
    const errors = vi.spyOn(log, "error");
    const queue = await JobQueue.start(db, { schema: "pgboss_registry_test", pollSeconds: 0.5, log, metrics: createMetrics() });
    try {
      // @ts-expect-error: the payload type comes from the schema, so tsc refuses this too
      await expect(queue.send("alertTriage", { alertId: "one" })).rejects.toThrow(/invalid alertTriage job payload: alertId/);

      const seen: unknown[] = [];
      let got!: () => void;
      const worked = new Promise<void>((r) => (got = r));
      await queue.work("alertTriage", async (data) => {
        seen.push(data);
        got();
      });
      // A standard queue: a stately one would keep only the first of these two waiting jobs.
      // Written around the check (an older version's job, or a hand-made row): the worker refuses it.
      await queue.boss.send(QUEUES.alertTriage.name, { alertId: "stale" });
      await queue.send("alertTriage", { alertId: 3 });
      await worked;
      await vi.waitFor(
        () => expect(errors).toHaveBeenCalledWith(expect.objectContaining({ queue: "alert-triage" }), expect.stringMatching(/refused/)),
        {
          timeout: 10_000,
        },
      );
      expect(seen).toEqual([{ alertId: 3 }]);
      // Failed for good: a retry could not make the payload valid.
      const state = async () =>
        (
          await queue.boss
            .getDb()
            .executeSql(`SELECT state FROM pgboss_registry_test.job WHERE name = $1 AND data->>'alertId' = 'stale'`, [
              QUEUES.alertTriage.name,
            ])
        ).rows;
      await vi.waitFor(async () => expect(await state()).toEqual([{ state: "failed" }]), { timeout: 10_000 });
    } finally {
      await queue.stop().catch(() => {});
      await db.close();
    }
  }, 30_000);
});
