import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const STAKE = "CSTAKEHOLD";

// Real time with 1-4 s targets: the wake-up jobs, the start-up catch-up and the posts all run for real.
describe.each(kinds)("clocks end to end (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      env: {
        INCIDENT_RESPONDERS: "URESP1",
        STAKEHOLDER_CHANNEL_ID: STAKE,
        ACK_TARGET_SECONDS: "1",
        MITIGATE_TARGET_SECONDS: "4",
      },
    });
    h.fake.ensureChannel({ id: STAKE, name: "stakeholders" });
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h?.close();
  });

  async function declare(title: string) {
    const res = await h.slack.command("/incident", `declare P3 ${title}`, { userId: "UDECL", channelId: "CGENERAL" });
    expect(res.status).toBe(200);
    return eventually(() => h.db.prisma.incident.findFirst({ where: { title, provisionedAt: { not: null } } }), 10_000, "provisioned");
  }
  const find = (channelId: string, re: RegExp) => h.fake.messages(channelId).filter((m) => re.test(m.text));

  it("sets the role directory with /incident roles and refuses an unknown role with the five", async () => {
    const set = await h.slack.command("/incident", "roles ml-lead <@UMLLEAD|dana>", { userId: "UADMIN", channelId: "CGENERAL" });
    expect(set.status).toBe(200);
    await eventually(() => h.db.prisma.roleAssignment.findUnique({ where: { role: "ml-lead" } }), 5000, "role stored");
    const bad = await h.slack.command("/incident", "roles chief <@U1|x>", { userId: "UADMIN", channelId: "CGENERAL" });
    const text = await eventually(
      () =>
        (h.fake.ephemerals.find((e: any) => e.via === "response_url" && /chief/.test(e.body?.text ?? "")) as any)?.body?.text as
          string | undefined,
      5000,
      "usage reply",
    );
    expect(bad.status).toBe(200);
    for (const r of ["ml-lead", "mlops-engineer", "data-engineer", "sales-lead", "product-manager"]) expect(text).toContain(r);
    await h.slack.command("/incident", "roles", { userId: "UADMIN", channelId: "CGENERAL" });
    await eventually(
      () =>
        h.fake.ephemerals.find(
          (e: any) => e.via === "response_url" && /Role directory/.test(e.body?.text ?? "") && /<@UMLLEAD>/.test(e.body.text),
        ),
      5000,
      "directory listing",
    );
  });

  it("nudges a missed ack within 5 s, then escalates to the ML lead at twice the target", async () => {
    const inc = await declare("Lead scoring AUC collapsed");
    const nudge = await eventually(() => find(inc.channelId!, /Acknowledge target missed/)[0], 10_000, "nudge");
    expect(Date.now() - (inc.detectedAt.getTime() + 1000)).toBeLessThan(5000);
    expect(nudge.text).toContain("1 second since detection");
    expect(nudge.text).toContain("<@UDECL>");
    expect(nudge.text).toContain("<@URESP1>");
    const esc = await eventually(() => find(inc.channelId!, /Escalating.*Acknowledge/)[0], 10_000, "escalation");
    expect(esc.text).toContain("<@UMLLEAD>");
    const row = await eventually(
      async () => (await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } })).escalation === "red",
      5000,
      "red",
    );
    expect(row).toBe(true);
    // The header re-renders with the escalation colour.
    await eventually(() => h.fake.callsTo("chat.update").length > 0, 15_000, "header re-render");

    // `update` reaches the stakeholder channel within 5 s with title, severity, status and the next update time.
    const sent = Date.now();
    await h.slack.command("/incident", "update Scores are stale for ~20 minutes; no data loss.", {
      userId: "UCOMMS",
      channelId: inc.channelId!,
    });
    const stake = await eventually(() => find(STAKE, /Scores are stale/)[0], 5000, "stakeholder update");
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(stake.text).toContain("Lead scoring AUC collapsed");
    expect(stake.text).toContain("P3");
    expect(stake.text).toContain("investigating");
    expect(stake.text).toMatch(/Next update by \d\d:\d\d UTC/);
    await eventually(() => find(inc.channelId!, /Scores are stale/)[0], 5000, "update in the incident channel");

    // Exactly one nudge and one escalation for the ack clock.
    await eventually(() => find(inc.channelId!, /Mitigation target missed/)[0], 10_000, "mitigation nudge");
    expect(find(inc.channelId!, /Acknowledge target missed/)).toHaveLength(1);
    expect(find(inc.channelId!, /Escalating.*Acknowledge/)).toHaveLength(1);
  });

  it("nudges once after a restart a target that passed while the app was down", async () => {
    const inc = await declare("Feature store lag");
    await h.app.stop();
    // The mitigation target (4 s) passes while no process runs.
    const waitMs = inc.detectedAt.getTime() + 4500 - Date.now();
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    expect(find(inc.channelId!, /Mitigation target missed/)).toHaveLength(0);
    await h.restart();
    await eventually(async () => (await fetch(`${h.appUrl}/healthz`)).status === 200, 10_000, "healthz");
    const healthy = Date.now();
    await eventually(() => find(inc.channelId!, /Mitigation target missed/)[0], 10_000, "nudge after restart");
    expect(Date.now() - healthy).toBeLessThan(10_000);
    await eventually(() => find(inc.channelId!, /Escalating.*Mitigation/)[0], 10_000, "escalation after restart");
    expect(find(inc.channelId!, /Mitigation target missed/)).toHaveLength(1);
    expect(
      await h.db.prisma.timelineEvent.count({
        where: { incidentId: inc.id, kind: "clock.nudged", data: { path: ["clock"], equals: "mitigate" } },
      }),
    ).toBe(1);
  });
});
