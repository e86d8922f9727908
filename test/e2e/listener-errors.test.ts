import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, OWNER_FIELDS, VIEWS } from "../../src/chat/ids.js";
import { declareAndProvision, eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

/** Every JSON log line the app writes, parsed: the test reads the logged reference ids. */
function capturedLogger() {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: pino({ level: "info" }, stream) };
}

describe.each(kinds)("listener errors always reach the user (%s)", (kind) => {
  let h: Harness;
  const logs = capturedLogger();
  beforeAll(async () => {
    h = await startHarness(kind, { log: logs.log });
  });
  afterAll(async () => {
    await h?.close();
  });

  const USER = "UDECL"; // the declarer: invited to the incident channel, so ephemerals reach them there
  const ephemeralTo = (channel: string, pattern: RegExp, what: string) =>
    eventually(
      () =>
        h.fake.ephemerals.find(
          (e) => e.via === "chat.postEphemeral" && e.user === USER && e.channel === channel && pattern.test(e.text ?? ""),
        ) as { text: string } | undefined,
      10_000,
      what,
    );

  it("a Done button naming no item, or nothing at all, tells the clicker why (a user error, no reference id)", async () => {
    const inc = await declareAndProvision(h, "P3 Buttons that name nothing", USER);
    const press = (value: string) =>
      h.slack.blockAction({
        userId: USER,
        channelId: inc.channelId!,
        messageTs: inc.playbookTs!,
        actionId: `${ACTIONS.itemDone}:playbook:9.9`,
        value,
      });
    expect((await press(`${inc.id}|playbook|9.9`)).status).toBe(200);
    const noItem = await ephemeralTo(inc.channelId!, /no item "9\.9"; its items are numbered 1\.1 to/, "no-such-item ephemeral");
    expect(noItem.text).not.toMatch(/reference/);

    expect((await press("not-an-item")).status).toBe(200);
    await ephemeralTo(inc.channelId!, /out of date/, "stale-button ephemeral");
    expect(logs.lines.filter((l) => l.level >= 50)).toEqual([]); // user errors are not logged as errors
  });

  it("the owner modal's failure is told to the user in the incident channel (it used to be only logged)", async () => {
    const inc = await declareAndProvision(h, "P3 Owner modal on a missing item", USER);
    const res = await h.slack.viewSubmission({
      userId: USER,
      callbackId: VIEWS.itemOwner,
      privateMetadata: `${inc.id}|playbook|8.8`,
      values: { [OWNER_FIELDS.owner.block]: { [OWNER_FIELDS.owner.action]: { user: "UBEA" } } },
    });
    expect(res.status).toBe(200);
    await ephemeralTo(inc.channelId!, /no item "8\.8"/, "owner-modal failure ephemeral");
  });

  it("an internal error (the database refuses) is logged at error level with a reference id, and the user sees that same id", async () => {
    const inc = await declareAndProvision(h, "P3 Database refuses a click", USER);
    // The checklist table goes away under the running app: Done fails with a database error, not an AppError.
    await h.db.prisma.$executeRawUnsafe(`ALTER TABLE "ChecklistItem" RENAME TO "ChecklistItemGone"`);
    try {
      await h.slack.blockAction({
        userId: USER,
        channelId: inc.channelId!,
        messageTs: inc.playbookTs!,
        actionId: `${ACTIONS.itemDone}:playbook:1.1`,
        value: `${inc.id}|playbook|1.1`,
      });
      const told = await ephemeralTo(inc.channelId!, /reference ERR-/, "internal-error ephemeral");
      const shown = /reference (ERR-[0-9A-F]{6})/.exec(told.text)![1];
      const logged = logs.lines.filter((l) => l.level === 50 && l.ref);
      expect(logged.map((l) => l.ref)).toContain(shown);
      expect(logged.find((l) => l.ref === shown)).toMatchObject({ msg: "item action failed", user: USER, err: expect.any(Object) });
    } finally {
      await h.db.prisma.$executeRawUnsafe(`ALTER TABLE "ChecklistItemGone" RENAME TO "ChecklistItem"`);
    }
  });
});
