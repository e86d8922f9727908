import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

/**
 * The whole story in real time with short targets: a critical drift alert opens a P1, the ack target is
 * missed (one nudge), stakeholders get an update within the product-update target, mitigation and the
 * leadership summary are met in time, resolution drafts the review from what happened.
 */
describe.each(kinds)("a scripted P1 from alert to review (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      env: {
        ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
        STAKEHOLDER_CHANNEL_ID: "CSTAKE",
        INCIDENT_RESPONDERS: "UONCALL",
        ACK_TARGET_SECONDS: "2",
        PRODUCT_UPDATE_SECONDS: "8",
        MITIGATE_TARGET_SECONDS: "10",
        LEADERSHIP_SUMMARY_SECONDS: "12",
        TIMEZONE: "Europe/Berlin",
      },
    });
    h.fake.ensureChannel({ id: "CSTAKE", name: "ml-stakeholders", members: ["UBOT"] });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("fires or meets every clock at the right time and fills the review from the timeline", async () => {
    const sent = Date.now();
    const res = await postAlert(h.appUrl, "generic", {
      source: "drift-monitor",
      title: "PSI 0.42 on feature lead_source",
      fingerprint: "lead-scoring/psi/lead_source/p1-story",
      model: "lead-scoring",
      feature: "lead_source",
      metric: { name: "psi", value: 0.42 },
    });
    expect(res.status).toBe(202);
    const id = Number(res.json.incidents[0].slice(4));
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { id, provisionedAt: { not: null } } }),
      15_000,
      "channel ready",
    );
    expect(inc).toMatchObject({ severity: "P1", category: "data" });
    const ch = inc.channelId!;
    const texts = () => h.fake.messages(ch).map((m) => m.text);
    // The sender's own name (the generic alert's `source`), not the route's "generic".
    const opened = await eventually(() => h.fake.messages(ch).find((m) => /opened by a/.test(m.text)), 10_000, "alert context posted");
    expect(opened.text).toContain("opened by a drift-monitor alert");
    expect(JSON.stringify(opened.blocks)).toContain("source: drift-monitor");
    expect(JSON.stringify(opened.blocks)).not.toContain("generic");

    // Ack target (2 s) missed: one nudge naming the clock and its target, mentioning the responders.
    const nudge = await eventually(() => h.fake.messages(ch).find((m) => /Acknowledge target missed/.test(m.text)), 10_000, "ack nudge");
    expect(nudge.text).toMatch(/2 seconds/);
    expect(nudge.text).toContain("<@UONCALL>");
    expect(Date.now() - sent).toBeLessThan(2000 + 5000 + 3000); // within 5 s of the target (plus set-up)

    await runCommand(h, "/incident", "ack", { userId: "UONCALL", channelId: ch });
    await runCommand(h, "/incident", "lead <@UONCALL|oncall>", { userId: "UONCALL", channelId: ch });
    const update = await runCommand(h, "/incident", "update Lead scores are skewed; we are switching to cached features.", {
      userId: "UONCALL",
      channelId: ch,
    });
    expect(update.text).toMatch(/Update posted/);
    await eventually(
      () => h.fake.messages("CSTAKE").some((m) => /switching to cached features/.test(m.text + JSON.stringify(m.blocks ?? ""))),
      5000,
      "stakeholders told within 5 s",
    );
    await runCommand(h, "/incident", "status identified", { userId: "UONCALL", channelId: ch });
    await runCommand(h, "/incident", "status mitigated", { userId: "UONCALL", channelId: ch });
    await runCommand(h, "/incident", "summary", { userId: "UONCALL", channelId: ch });
    await runCommand(h, "/incident", "action Add a drift gate to the feature pipeline <@UDATA|data> due 2026-12-04", {
      userId: "UONCALL",
      channelId: ch,
    });
    await runCommand(h, "/incident", "resolve cached features in place; upstream export fixed", { userId: "UONCALL", channelId: ch });

    const clocks = await h.db.prisma.clock.findMany({ where: { incidentId: id } });
    const clock = (k: string) => clocks.find((c) => c.kind === k)!;
    expect(clock("ack")).toMatchObject({ breached: true });
    expect(clock("ack").nudgedAt).toBeTruthy();
    expect(clock("ack").metAt).toBeTruthy();
    for (const k of ["product_update", "mitigate", "leadership_summary"]) {
      expect(clock(k).metAt, k).toBeTruthy();
      expect(clock(k).nudgedAt, k).toBeNull();
    }

    // Past every target now: nothing more fires for met or stopped clocks.
    await new Promise((r) => setTimeout(r, 3000));
    expect(texts().filter((t) => /target missed/.test(t))).toHaveLength(1);
    expect(texts().some((t) => /Escalating/.test(t))).toBe(false);

    const review = await eventually(
      () => h.db.prisma.review.findFirst({ where: { incidentId: id, fileId: { not: null } } }),
      15_000,
      "review drafted and uploaded",
    );
    const md = review.markdown;
    for (const section of ["INCIDENT REVIEW", "TIMELINE", "IMPACT", "ROOT CAUSE", "WHAT WENT WELL", "WHAT WENT POORLY", "ACTION ITEMS"]) {
      expect(md).toContain(section);
    }
    expect(md).toMatch(/Severity: P1/);
    expect(md).toContain("Detected automatically by the drift-monitor alert");
    expect(md).toMatch(/\d\d:\d\d - Alert fired/);
    expect(md).toMatch(/\d\d:\d\d - On-call acknowledged/);
    expect(md).toMatch(/\d\d:\d\d - Mitigation applied/);
    expect(md).toMatch(/Acknowledge missed the 2 seconds target/);
    expect(md).toMatch(/Add a drift gate to the feature pipeline - Owner: <@UDATA> - Due: 2026-12-04/);
    const upload = h.fake.uploads.find((u) => u.fileId === review.fileId)!;
    expect(upload.channels).toContain(ch);
    expect(h.fake.violations).toEqual([]);
  });
});
