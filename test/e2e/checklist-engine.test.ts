import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openGate } from "../../src/gates/open-gate.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

/**
 * One checklist engine: the same commands on an incident's playbook and on a gate give the same item events
 * (differing only in `list`), the same refusals, and each re-renders its own message.
 */
describe.each(kinds)("one checklist engine for incidents and gates (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("owner, done twice, N/A and their refusals: one event shape on the timeline and on the gate's trail", async () => {
    const inc = await declareAndProvision(h, "P3 Feature store lag on scoring");
    h.fake.ensureChannel({ id: "CRELEASE" });
    const { gate } = await openGate(h.app.ctx, {
      templateId: "shadow",
      subject: "engine v1",
      channelId: "CRELEASE",
      openedBy: "UOPEN",
      requestKey: `engine-${kind}`,
    });
    const gateNumber = gate.items.find((i) => !i.criterion)!.number;
    const incident = (text: string, userId = "UDANA") => runCommand(h, "/incident", text, { userId, channelId: inc.channelId! });
    const onGate = (text: string, userId = "UDANA") => runCommand(h, "/gate", text, { userId, channelId: "CRELEASE" });
    const ref = `G-${gate.id}`;

    await incident("owner 1.1 <@URILEY>");
    await onGate(`owner ${ref} ${gateNumber} <@URILEY>`);
    expect((await incident("done 1.1")).text).toBe("Item 1.1 marked done.");
    expect((await incident("done 1.1")).text).toBe("Item 1.1 was already done.");
    await onGate(`done ${ref} ${gateNumber}`);
    await onGate(`done ${ref} ${gateNumber}`);
    await incident("na 1.2 no upstream data involved");
    await onGate(`na ${ref} ${gate.items.at(-1)!.number} not this release`);

    const timeline = await h.db.prisma.timelineEvent.findMany({
      where: { incidentId: inc.id, kind: { startsWith: "item." } },
      orderBy: { id: "asc" },
    });
    const trail = await h.db.prisma.gateEvent.findMany({
      where: { gateId: gate.id, kind: { startsWith: "item." } },
      orderBy: { id: "asc" },
    });
    const shape = (rows: { kind: string; data: unknown }[]) =>
      rows.map((r) => ({ kind: r.kind, keys: Object.keys(r.data as object).sort(), list: (r.data as { list: string }).list }));
    // Done pressed twice is one event; the owner set, done, N/A are the same shapes on both.
    expect(shape(timeline).map(({ kind, keys }) => ({ kind, keys }))).toEqual(shape(trail).map(({ kind, keys }) => ({ kind, keys })));
    expect(shape(timeline).map((e) => e.kind)).toEqual(["item.owner_set", "item.completed", "item.marked_na"]);
    expect(new Set(shape(timeline).map((e) => e.list))).toEqual(new Set(["playbook"]));
    expect(new Set(shape(trail).map((e) => e.list))).toEqual(new Set(["gate"]));
    expect(timeline[1]!.text).toMatch(/^1\.1 .+: done$/);

    // An incident closer who owned nothing becomes the owner; a gate's does not (peer approval needs named owners).
    const item12 = await h.db.prisma.checklistItem.findFirstOrThrow({ where: { incidentId: inc.id, list: "playbook", number: "1.2" } });
    expect(item12).toMatchObject({ state: "na", ownerId: "UDANA", justification: "no upstream data involved" });
    const lastGateItem = await h.db.prisma.gateItem.findFirstOrThrow({ where: { gateId: gate.id, number: gate.items.at(-1)!.number } });
    expect(lastGateItem).toMatchObject({ state: "na", ownerId: null });

    // The same refusals, each with the numbers to use and the command's usage.
    const missing = await incident("done 9.9");
    expect(missing.text).toMatch(new RegExp(`INC-${inc.id}'s playbook has no item "9.9"; its items are numbered 1\\.1 to \\d+\\.\\d+`));
    expect(missing.text).toContain("/incident done <item>");
    expect((await onGate(`done ${ref} 9.9`)).text).toMatch(new RegExp(`${ref} has no item "9.9"; its items are numbered 1\\.1 to`));
    expect((await incident("na 1.3 no")).text).toContain("N/A needs a justification");
    expect((await onGate(`na ${ref} 1.3 no`)).text).toContain("N/A needs a justification");
    expect((await incident(`na 1.3 ${"x".repeat(1001)}`)).text).toContain("too long");

    // An incident item can be named by its key, like a gate item.
    const key = (await h.db.prisma.checklistItem.findFirstOrThrow({ where: { incidentId: inc.id, list: "playbook", number: "2.1" } })).key;
    expect((await incident(`done ${key}`)).text).toBe(`Item ${key} marked done.`);
    await eventually(() => h.db.prisma.checklistItem.findFirst({ where: { incidentId: inc.id, number: "2.1", state: "done" } }));

    // Each change re-rendered its own message: the gate message shows the N/A with its justification.
    await eventually(async () => {
      const g = await h.db.prisma.gate.findUniqueOrThrow({ where: { id: gate.id } });
      const msg = h.fake.messages("CRELEASE").find((m: any) => m.ts === g.messageTs);
      return /not this release/.test(JSON.stringify(msg?.blocks ?? [])) ? msg : null;
    });
  });
});
