import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";
import { ingestAlerts } from "../../src/alerts/ingest-alerts.js";
import { NORMALIZERS } from "../../src/alerts/normalize.js";

const kinds = await dbKinds();

const normalized = (body: Record<string, unknown>) => {
  const result = NORMALIZERS.generic(body);
  if (!result.ok) throw new Error(result.error);
  return result.alerts;
};

// Concurrent requests share one batched INSERT … ON CONFLICT (store-batch.ts): these pin down that the batch
// decides exactly what storing the alerts one after the other would have decided.
describe.each(kinds)("batched alert storing (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, ALERT_DIGEST_SECONDS: "1" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("identical copies in one batch: one stored, the rest repeats; a changed payload of the same key still acts", async () => {
    const ctx = h.app.ctx;
    const firing = { source: "batch", title: "Queue depth high", fingerprint: "batch/one", severity: "warning" };
    const resolved = { ...firing, status: "resolved" };
    // Started in the same tick: all of them go into the same batch.
    const results = await Promise.all([
      ingestAlerts(ctx, normalized(firing)),
      ingestAlerts(ctx, normalized(firing)),
      ingestAlerts(ctx, normalized(firing)),
      ingestAlerts(ctx, normalized(resolved)),
    ]);
    const outcomes = results.flatMap((r) => r.outcomes);
    expect(outcomes.filter((o) => o === "stored")).toHaveLength(1); // P3 without a triage channel: kept
    expect(outcomes.filter((o) => o === "repeat")).toHaveLength(2);
    expect(outcomes.filter((o) => o === "resolved")).toHaveLength(1);
    const row = await h.db.prisma.alert.findFirstOrThrow({ where: { source: "generic", fingerprint: "batch/one" } });
    expect(row.count).toBe(4);
    expect(row.status).toBe("resolved");
    expect(await h.db.prisma.alert.count({ where: { fingerprint: "batch/one" } })).toBe(1);

    // Re-sent identical resolved payload: only the count moves.
    const again = await Promise.all([ingestAlerts(ctx, normalized(resolved)), ingestAlerts(ctx, normalized(resolved))]);
    expect(again.flatMap((r) => r.outcomes)).toEqual(["repeat", "repeat"]);
    const after = await h.db.prisma.alert.findFirstOrThrow({ where: { id: row.id } });
    expect(after.count).toBe(6);
    expect(after.payloadHash).toBe(row.payloadHash);
  });

  it("many keys over HTTP at once: one row per key, counts add up, one incident per critical key", async () => {
    const bodies = Array.from({ length: 60 }, (_, i) => ({
      source: "batch",
      title: `Storm ${i % 6}`,
      fingerprint: `batch/storm-${i % 6}`,
      service: "api",
      severity: i % 6 === 0 ? "critical" : "warning",
    }));
    const results = await Promise.all(bodies.map((b) => postAlert(h.appUrl, "generic", b)));
    expect(results.every((r) => r.status === 202)).toBe(true);
    const rows = await h.db.prisma.alert.findMany({ where: { fingerprint: { startsWith: "batch/storm-" } } });
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.count === 10)).toBe(true);
    expect(await h.db.prisma.incident.count({ where: { title: "Storm 0" } })).toBe(1);
    expect(h.fake.violations).toEqual([]);
  });
});
