import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { openPGlite } from "../../src/db/adapters.js";
import { gatePGlite, inForeground, PriorityGate } from "../../src/db/pglite-gate.js";

const tick = () => new Promise((r) => setImmediate(r));

describe("PriorityGate", () => {
  it("runs one holder at a time, request work before background work, FIFO within each", async () => {
    const gate = new PriorityGate();
    const order: string[] = [];
    let inside = 0;
    let maxInside = 0;
    const job = (name: string) => async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await tick();
      order.push(name);
      inside--;
    };
    const all = [
      gate.run(job("bg1")),
      gate.run(job("bg2")),
      inForeground(() => gate.run(job("fg1"))),
      gate.run(job("bg3")),
      inForeground(() => gate.run(job("fg2"))),
    ];
    await Promise.all(all);
    expect(maxInside).toBe(1);
    expect(order).toEqual(["fg1", "fg2", "bg1", "bg2", "bg3"]);
  });

  it("gives the event loop a turn between holders, so a request that arrives meanwhile goes next", async () => {
    const gate = new PriorityGate();
    const order: string[] = [];
    const background = [1, 2, 3].map((i) => gate.run(async () => void order.push(`bg${i}`)));
    // Arrives after bg1 has started (as a socket read would), before bg2: must overtake bg2 and bg3.
    const late = new Promise<void>((resolve) =>
      setImmediate(() => resolve(inForeground(() => gate.run(async () => void order.push("fg"))))),
    );
    await Promise.all([...background, late]);
    expect(order).toEqual(["bg1", "fg", "bg2", "bg3"]);
  });

  it("releases the gate when the holder throws", async () => {
    const gate = new PriorityGate();
    await expect(
      gate.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(gate.run(async () => "next")).resolves.toBe("next");
    expect(gate.waiting).toEqual({ foreground: 0, background: 0 });
  });
});

describe("gatePGlite on a real PGlite", () => {
  let db: PGlite;
  beforeAll(async () => {
    db = gatePGlite(await openPGlite());
    await db.exec("CREATE TABLE t (id int primary key, n int not null default 0)");
  });
  afterAll(async () => db?.close());

  it("a request's query overtakes a queue of background transactions and statements", async () => {
    const done: string[] = [];
    const background = Array.from({ length: 20 }, (_, i) =>
      i % 2
        ? db.query("INSERT INTO t (id) VALUES ($1)", [i]).then(() => void done.push(`bg${i}`))
        : db
            .transaction(async (tx) => {
              await tx.query("INSERT INTO t (id) VALUES ($1)", [i]);
              await tx.query("UPDATE t SET n = n + 1 WHERE id = $1", [i]);
            })
            .then(() => void done.push(`bg${i}`)),
    );
    const request = inForeground(() => db.query<{ c: number }>("SELECT count(*)::int AS c FROM t")).then((r) => {
      done.push("request");
      return r.rows[0]!.c;
    });
    const [seen] = await Promise.all([request, ...background]);
    expect(done.indexOf("request")).toBeLessThanOrEqual(1); // at most the statement already running goes first
    expect(seen).toBeLessThanOrEqual(1);
    expect((await db.query<{ c: number }>("SELECT count(*)::int AS c FROM t")).rows[0]!.c).toBe(20);
  });

  it("a failed statement inside a transaction rolls it back and frees the gate", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t (id) VALUES (100)");
        await tx.query("INSERT INTO t (id) VALUES (100)"); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await db.query("SELECT 1 FROM t WHERE id = 100")).rows).toHaveLength(0);
    await db.exec("INSERT INTO t (id) VALUES (100)");
  });
});
