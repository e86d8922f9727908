import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("root cause and show (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("`cause` records the root cause with time and actor; the review asks for it when it is missing", async () => {
    const inc = await declareAndProvision(h, "P2 Churn model scores drift");
    const as = { userId: "UKIM", channelId: inc.channelId! };

    const empty = await runCommand(h, "/incident", "cause   ", as);
    expect(empty.text).toMatch(/needs some text/);
    expect(empty.text).toContain("/incident cause <text>");

    // Without a recorded cause the review says how to record one, not the resolution text.
    await runCommand(h, "/incident", "review", as);
    const first = await eventually(() => h.db.prisma.review.findUnique({ where: { incidentId: inc.id } }), 15_000, "review draft");
    expect(first.markdown).toContain("ROOT CAUSE\n----------\n[Not yet recorded: /incident cause <text>.");

    const reply = await runCommand(h, "/incident", "cause Upstream export wrote nulls into the tenure feature", as);
    expect(reply.text).toMatch(/Root cause recorded/);
    const row = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
    expect(row.rootCause).toBe("Upstream export wrote nulls into the tenure feature");
    expect(row.identifiedAt).not.toBeNull();
    const event = await h.db.prisma.timelineEvent.findFirst({ where: { incidentId: inc.id, kind: "root_cause.recorded" } });
    expect(event).toMatchObject({ actorId: "UKIM", text: "Root cause identified: Upstream export wrote nulls into the tenure feature" });

    const again = await runCommand(h, "/incident", "cause Upstream export wrote nulls into the tenure feature", as);
    expect(again.text).toMatch(/already recorded/);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "root_cause.recorded" } })).toBe(1);

    await runCommand(h, "/incident", "review", as);
    const review = await eventually(
      async () => {
        const r = await h.db.prisma.review.findUnique({ where: { incidentId: inc.id } });
        return r?.markdown.includes("Upstream export") ? r : null;
      },
      15_000,
      "review with the cause",
    );
    expect(review.markdown).toContain("ROOT CAUSE\n----------\nUpstream export wrote nulls into the tenure feature\n");
    expect(review.markdown).toMatch(/- \d\d:\d\d - Root cause identified/);
  });

  it("`show` re-posts the current header to whoever asks, ephemerally", async () => {
    const inc = await declareAndProvision(h, "P1 Fraud model latency");
    await runCommand(h, "/incident", "lead <@ULEAD|lead>", { userId: "UDECL", channelId: inc.channelId! });
    const shown = await runCommand(h, "/incident", "show", { userId: "UOTHER", channelId: inc.channelId! });
    expect(shown.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(shown.text).toContain("P1");
    expect(shown.text).toContain("<@ULEAD>");
    const blocks = JSON.stringify(shown.body.blocks);
    expect(blocks).toContain("Fraud model latency");
    expect(blocks).toContain("<@ULEAD>");

    const outside = await runCommand(h, "/incident", "show", { userId: "UOTHER", channelId: "CGENERAL" });
    expect(outside.text).toMatch(/incident channel/i);
  });
});
