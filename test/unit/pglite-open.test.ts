import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPGlite, PGLITE_SHARED_BUFFERS } from "../../src/db/adapters.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-open-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("openPGlite on a data directory", () => {
  it("creates a new directory (in a child process), keeps data across reopen, with the small shared_buffers", async () => {
    const dir = path.join(tmp, "nested", "pglite");
    const db = await openPGlite(dir);
    expect(fs.existsSync(path.join(dir, "PG_VERSION"))).toBe(true);
    await db.exec("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    expect((await db.query<{ shared_buffers: string }>("SHOW shared_buffers")).rows[0]!.shared_buffers).toBe(PGLITE_SHARED_BUFFERS);
    await db.close();

    const again = await openPGlite(dir);
    expect((await again.query<{ v: string }>("SELECT v FROM kept")).rows).toEqual([{ v: "still here" }]);
    await again.close();
  });

  it("a directory that cannot be created fails with one clear error naming it", async () => {
    const file = path.join(tmp, "not-a-dir");
    fs.writeFileSync(file, "x");
    await expect(openPGlite(path.join(file, "pglite"))).rejects.toThrow(/not-a-dir/);
  });
});
