import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.js";
import { readGateEvent } from "../../src/gates/gate-events.js";
import { createTestDb, dbKinds, type TestDb } from "../helpers/test-db.js";

const kinds = await dbKinds();

// GateEvent rows exactly as the code before the shared item events wrote them (no `list` on item events).
const OLD_ROWS: { kind: string; data: unknown }[] = [
  { kind: "gate.opened", data: { templateId: "model-launch", subject: "churn v5", channelId: "CREL" } },
  { kind: "item.owner_set", data: { number: "1.1", ownerId: "U2", previous: null } },
  { kind: "item.completed", data: { number: "1.1", previous: "todo" } },
  { kind: "item.marked_na", data: { number: "1.2", justification: "no PII", previous: "todo" } },
  { kind: "item.measured", data: { number: "2.1", input: "180ms", value: 180, passing: true, text: "180 ms ≤ 250 ms", reopened: false } },
  { kind: "gate.assigned_all", data: { ownerId: "U3", numbers: ["2.2"] } },
  { kind: "gate.chased", data: { day: "2026-12-01", unowned: ["2.2"], owners: ["U2"] } },
  { kind: "gate.approved", data: { approvedBy: "U9" } },
  { kind: "gate.reopened", data: { reason: "rerun eval", previousApprover: "U9" } },
  { kind: "gate.exported", data: { channelId: "CREL" } },
  { kind: "gate.post_failed", data: { channelId: "CREL", error: "not_in_channel" } },
  // A kind no code knows any more, and a known kind with a shape no code wrote: readable, never thrown on.
  { kind: "gate.legacy_thing", data: { anything: 1 } },
  { kind: "gate.approved", data: {} },
];

describe.each(kinds)("GateEvent history across the shared item events migration (%s)", (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("old rows read back as the shared union after the migration; unknown ones stay readable", async () => {
    const [gate] = await db.prisma.$queryRaw<{ id: number }[]>`
      INSERT INTO "Gate" ("templateId", "title", "subject", "channelId", "openedBy", "updatedAt")
      VALUES ('model-launch', 'Model launch', 'churn v5', 'CREL', 'U1', now()) RETURNING id`;
    for (const row of OLD_ROWS) {
      await db.prisma.$executeRaw`
        INSERT INTO "GateEvent" ("gateId", "kind", "actorId", "at", "data")
        VALUES (${gate!.id}, ${row.kind}, 'U1', now(), ${JSON.stringify(row.data)}::jsonb)`;
    }
    // Before the migration the old item rows do not fit the shared shape.
    const before = await db.prisma.gateEvent.findMany({ where: { gateId: gate!.id }, orderBy: { id: "asc" } });
    expect(readGateEvent(before[2]!).kind).toBe("unknown");

    const migration = (await readMigrations()).find((m) => m.name.endsWith("_gate_item_events"));
    expect(migration).toBeDefined();
    await db.prisma.$executeRawUnsafe(migration!.sql);
    await db.prisma.$executeRawUnsafe(migration!.sql); // idempotent

    const rows = await db.prisma.gateEvent.findMany({ where: { gateId: gate!.id }, orderBy: { id: "asc" } });
    const read = rows.map((r) => readGateEvent(r));
    expect(read.map((e) => e.kind)).toEqual([...OLD_ROWS.slice(0, 11).map((r) => r.kind), "unknown", "unknown"]);
    expect(read[1]).toEqual({ kind: "item.owner_set", data: { list: "gate", number: "1.1", ownerId: "U2", previous: null } });
    expect(read[2]).toEqual({ kind: "item.completed", data: { list: "gate", number: "1.1", previous: "todo" } });
    expect(read[3]).toEqual({ kind: "item.marked_na", data: { list: "gate", number: "1.2", justification: "no PII", previous: "todo" } });
    expect(read[4]).toMatchObject({ kind: "item.measured", data: { list: "gate", number: "2.1", value: 180, passing: true } });
    expect(read[11]).toEqual({ kind: "unknown", storedKind: "gate.legacy_thing", data: { anything: 1 } });
    expect(read[12]).toEqual({ kind: "unknown", storedKind: "gate.approved", data: {} });
    // Rows that are not item events are untouched by the migration.
    expect(rows[0]!.data).toEqual(OLD_ROWS[0]!.data);
  });
});
