import { beforeAll, describe, expect, it } from "vitest";
import { evaluateClocks } from "../../src/clocks/evaluate-clocks.js";
import { setRole } from "../../src/clocks/role-directory.js";
import { ManualClock } from "../../src/clock.js";
import type { AppContext } from "../../src/context.js";
import { acknowledgeIncident } from "../../src/incidents/acknowledge-incident.js";
import { setStatus } from "../../src/incidents/set-status.js";
import type { Harness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { useClockSuite } from "../helpers/clock-suite.js";

const kinds = await dbKinds();

describe.each(kinds)("clocks, decided from an injected clock (%s)", (kind) => {
  const { s: suite, declare, texts, waitFor, clockRow } = useClockSuite(kind);
  let h: Harness;
  let clock: ManualClock;
  let ctx: AppContext;
  beforeAll(() => {
    ({ h, clock, ctx } = suite);
  });
  const events = (incidentId: number, kind: string) => h.db.prisma.timelineEvent.findMany({ where: { incidentId, kind } });

  it("nudges at the target and escalates at twice the target, once each", async () => {
    const inc = await declare();
    expect(inc.escalation).toBe("green");
    await setRole(ctx, "ml-lead", "UMLLEAD", "UADMIN");

    clock.advance(299);
    expect((await evaluateClocks(ctx, inc.id)).nudged).toEqual([]);

    clock.advance(1);
    const first = await evaluateClocks(ctx, inc.id);
    expect(first.nudged).toEqual([{ incidentId: inc.id, clock: "ack" }]);
    const nudge = await waitFor(inc.channelId!, /Acknowledge target missed/);
    expect(nudge.text).toContain("5 minutes since detection");
    expect(nudge.text).toContain("<@UDECL>");
    expect(nudge.text).toContain("<@URESP1>"); // no lead yet: declarer and, for ack, the responders
    expect(nudge.text).not.toMatch(/escalat/i);
    const afterNudge = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
    expect(afterNudge.escalation).toBe("yellow");
    expect((await clockRow(inc.id, "ack")).breached).toBe(true);
    expect(await events(inc.id, "clock.nudged")).toHaveLength(1);

    expect((await evaluateClocks(ctx, inc.id)).nudged).toEqual([]); // at most once

    clock.advance(300);
    const second = await evaluateClocks(ctx, inc.id);
    expect(second.escalated).toEqual([{ incidentId: inc.id, clock: "ack" }]);
    const esc = await waitFor(inc.channelId!, /Escalating/);
    expect(esc.text).toContain("Acknowledge");
    expect(esc.text).toContain("<@UMLLEAD>");
    expect(esc.text).toContain("<@UDECL>");
    expect((await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } })).escalation).toBe("red");
    const changes = await events(inc.id, "escalation.changed");
    expect(changes.map((e) => e.data)).toEqual([
      { from: "green", to: "yellow" },
      { from: "yellow", to: "red" },
    ]);

    // The lead is mentioned once there is one; the mitigation clock fires on its own target.
    await h.db.prisma.incident.update({ where: { id: inc.id }, data: { leadId: "ULEAD" } });
    clock.advance(300); // 900 s: mitigation target
    const third = await evaluateClocks(ctx, inc.id);
    expect(third.nudged).toEqual([{ incidentId: inc.id, clock: "mitigate" }]);
    const mit = await waitFor(inc.channelId!, /Mitigation target missed/);
    expect(mit.text).toContain("15 minutes since detection");
    expect(mit.text).toContain("<@ULEAD>");
    expect(mit.text).not.toContain("<@URESP1>");

    for (let i = 0; i < 3; i++) expect((await evaluateClocks(ctx, inc.id)).escalated).toEqual([]);
    expect(await events(inc.id, "clock.escalated")).toHaveLength(1);
    expect(texts(inc.channelId!).filter((t) => /Acknowledge target missed/.test(t))).toHaveLength(1);
  });

  it("posts nothing for a target met in time, and records a late one as late", async () => {
    const inc = await declare();
    clock.advance(60);
    await acknowledgeIncident(ctx, inc.id, "UACK");
    clock.advance(1000);
    const r = await evaluateClocks(ctx, inc.id);
    expect(r.nudged.map((n) => n.clock)).not.toContain("ack");
    expect((await clockRow(inc.id, "ack")).metAt).not.toBeNull();
    expect((await clockRow(inc.id, "ack")).nudgedAt).toBeNull();

    // Mitigation: missed (nudged above at 900 s), then met late.
    expect(r.nudged.map((n) => n.clock)).toEqual(["mitigate"]);
    clock.advance(10);
    await setStatus(ctx, inc.id, "UACK", "mitigated");
    const met = await events(inc.id, "clock.met");
    expect(met.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { clock: "ack", late: false },
        { clock: "mitigate", late: true },
      ]),
    );
    clock.advance(900);
    expect((await evaluateClocks(ctx, inc.id)).escalated).toEqual([]);
    await waitFor(inc.channelId!, /Mitigation target missed/);
    expect(texts(inc.channelId!).some((t) => /Acknowledge target missed/.test(t))).toBe(false);
  });

  it("names targets already past at declaration together in one message", async () => {
    const inc = await declare({ detectedAgo: 1000 }); // ack (300, 2× 600) and mitigation (900) already past
    const r = await evaluateClocks(ctx, inc.id);
    expect(r.nudged.map((n) => n.clock).sort()).toEqual(["ack", "mitigate"]);
    expect(r.escalated.map((n) => n.clock)).toEqual(["ack"]);
    const msg = await waitFor(inc.channelId!, /targets missed/);
    expect(msg.text).toContain("Acknowledge target missed: 5 minutes since detection");
    expect(msg.text).toContain("Mitigation target missed: 15 minutes since detection");
    expect(msg.text).toMatch(/Escalating/);
    expect(await events(inc.id, "clock.nudged")).toHaveLength(2);
    expect(texts(inc.channelId!).filter((t) => /target missed/.test(t))).toHaveLength(1);
  });

  it("nudges at most once across a restart and with two processes evaluating at once", async () => {
    const inc = await declare();
    const before = h.app;
    await before.stop();
    clock.advance(301);
    const second = await h.restart(); // its start-up catch-up nudges the target missed while "down"
    const nudge = await waitFor(inc.channelId!, /Acknowledge target missed/);
    expect(nudge).toBeTruthy();
    expect((await evaluateClocks(second.ctx, inc.id)).nudged).toEqual([]);

    const third = await h.restart(); // two processes on one database
    clock.advance(300);
    const [a, b] = await Promise.all([evaluateClocks(second.ctx, inc.id), evaluateClocks(third.ctx, inc.id)]);
    expect([...a.escalated, ...b.escalated]).toHaveLength(1);
    await waitFor(inc.channelId!, /Escalating/);
    await second.stop(); // the last started stays as the harness's app (its signed sender points there)
    ctx = third.ctx;
    expect(texts(inc.channelId!).filter((t) => /Acknowledge target missed/.test(t))).toHaveLength(1);
    expect(texts(inc.channelId!).filter((t) => /Escalating/.test(t))).toHaveLength(1);
    expect(await events(inc.id, "clock.nudged")).toHaveLength(1);
    expect(await events(inc.id, "clock.escalated")).toHaveLength(1);
  });
});
