import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTimelineEvent } from "../../src/timeline/events.js";
import { listTimeline } from "../../src/timeline/list-timeline.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

/** Rows as older (or newer) code may have written them: a kind no code knows, known kinds with other shapes. */
const OLD_ROWS = [
  { kind: "incident.paged", data: `{"pager":"opsgenie","escalation":2}`, text: "Paged the data on-call (old kind)" },
  { kind: "severity.changed", data: `{"from":2,"to":"P1"}`, text: null },
  { kind: "stakeholder.update", data: `null`, text: "Stakeholders told (old shape)" },
  { kind: "statuspage.updated", data: `{"text":17}`, text: null },
  { kind: "item.completed", data: `{"number":"1.1"}`, text: "1.1 done (before items had a list)" },
];

describe.each(kinds)("the timeline read path never throws on old or unknown events (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("reads a row of any kind and shape: known ones typed, the rest kept as unknown with their stored kind and data", () => {
    expect(readTimelineEvent({ kind: "severity.changed", data: { from: "P2", to: "P1" } })).toEqual({
      kind: "severity.changed",
      data: { from: "P2", to: "P1" },
    });
    for (const row of [
      { kind: "incident.paged", data: { pager: "opsgenie" } },
      { kind: "severity.changed", data: { from: 2 } },
      { kind: "stakeholder.update", data: null },
      { kind: "", data: undefined },
      { kind: "item.completed", data: "not an object" },
    ]) {
      expect(readTimelineEvent(row)).toEqual({ kind: "unknown", storedKind: row.kind, data: row.data });
    }
  });

  it("/incident timeline, the status page and the review draft all work with such rows stored", async () => {
    const inc = await declareAndProvision(h, "P2 Timeline with history from older code");
    for (const [i, row] of OLD_ROWS.entries()) {
      await h.db.prisma.$executeRawUnsafe(
        `INSERT INTO "TimelineEvent" ("incidentId","kind","actorId","at","text","data") VALUES ($1, $2, 'UOLD', $3::timestamp(3), $4, $5::jsonb)`,
        inc.id,
        row.kind,
        new Date(inc.declaredAt.getTime() + (i + 1) * 1000).toISOString(),
        row.text,
        row.data,
      );
    }

    const entries = await listTimeline(h.app.ctx, inc.id);
    const old = entries.filter((e) => e.actorId === "UOLD");
    expect(old.map((e) => [e.kind, e.event.kind])).toEqual(OLD_ROWS.map((r) => [r.kind, "unknown"]));
    expect(entries.find((e) => e.kind === "incident.declared")?.event).toMatchObject({
      kind: "incident.declared",
      data: { severity: "P2" },
    });

    const as = { userId: "UDECL", channelId: inc.channelId! };
    const timeline = await runCommand(h, "/incident", "timeline", as);
    const shown = JSON.stringify(timeline.body.blocks);
    expect(shown).toContain("Paged the data on-call (old kind)");
    expect(shown).toContain("severity.changed"); // a row without text shows its stored kind
    expect(shown).toContain("1.1 done (before items had a list)");

    const page = await fetch(`${h.appUrl}/status`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("17");

    await runCommand(h, "/incident", "resolve Rolled back the feature pipeline", as);
    const review = await eventually(() => h.db.prisma.review.findUnique({ where: { incidentId: inc.id } }), 15_000, "review draft");
    expect(review.markdown).toMatch(/^INCIDENT REVIEW\n/);
    expect(review.markdown).toContain("Full resolution confirmed");
  });
});
