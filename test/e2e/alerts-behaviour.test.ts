import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, jobsDrained, pendingJobs, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN, fixture, postAlert } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();
const incId = (ref: string) => Number(ref.slice(4));

describe.each(kinds)("alert behaviour (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, {
      env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, ALERTS_CHANNEL_ID: "CALERTS", ALERT_DIGEST_SECONDS: "1" },
    });
    h.fake.ensureChannel({ id: "CALERTS", name: "alerts", members: ["UBOT"] });
  });
  afterAll(async () => {
    await h?.close();
  });

  const provisioned = (id: number) =>
    eventually(() => h.db.prisma.incident.findFirst({ where: { id, provisionedAt: { not: null } } }), 15_000, `INC-${id} provisioned`);

  it("a grouped Alertmanager batch opens ONE incident; a re-send creates nothing visible; resolving prompts", async () => {
    const first = await postAlert(h.appUrl, "alertmanager", fixture("alertmanager-grouped"));
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ received: 3, accepted: 3, rejected: [] });
    expect(first.json.incidents).toHaveLength(1);
    const id = incId(first.json.incidents[0]);
    const inc = await provisioned(id);
    expect(inc).toMatchObject({ severity: "P1", category: "data", declaredBy: "alert:alertmanager", service: "lead-scoring-api" });
    expect(inc.detectedAt.toISOString()).toBe("2026-11-23T09:10:00.123Z");
    const events = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["incident.declared", "alert.received"]));
    expect(events.filter((e) => e.kind === "alert.received")).toHaveLength(2); // critical + the warning of its group
    expect(events.find((e) => e.kind === "alert.received")!.text).toMatch(/psi = 0\.31/);
    await eventually(
      () =>
        h.fake
          .messages(inc.channelId!)
          .some((m) => /opened by a alertmanager alert|opened by this alert/.test(m.text + JSON.stringify(m.blocks ?? ""))),
      10_000,
      "context message",
    );
    await eventually(() => h.fake.messages(inc.channelId!).some((m) => /Alerts for INC-/.test(m.text)), 10_000, "digest");

    // Alertmanager's repeat interval: the identical payload again.
    await jobsDrained(h); // every queued Slack call has been made, so "no new calls" is meaningful
    const callsBefore = h.fake.calls.length;
    const eventsBefore = await h.db.prisma.timelineEvent.count();
    const again = await postAlert(h.appUrl, "alertmanager", fixture("alertmanager-grouped"));
    expect(again.status).toBe(202);
    expect(again.json.incidents).toEqual([]);
    // The repeat queued nothing, not even a digest scheduled for later, and nothing ran because of it.
    expect(await pendingJobs(h, { name: "alert-digest" })).toBe(0);
    await jobsDrained(h);
    expect(h.fake.calls.slice(callsBefore).map((c) => `${c.method} ${JSON.stringify(c.args).slice(0, 200)}`)).toEqual([]);
    expect(await h.db.prisma.timelineEvent.count()).toBe(eventsBefore);
    expect(await h.db.prisma.incident.count({ where: { declaredBy: "alert:alertmanager" } })).toBe(1);
    const row = await h.db.prisma.alert.findFirst({
      where: { source: "alertmanager", labels: { path: ["feature"], equals: "lead_source" } },
    });
    expect(row!.count).toBe(2);

    const resolved = await postAlert(h.appUrl, "alertmanager", fixture("alertmanager-resolved"));
    expect(resolved.json.incidents).toEqual([`INC-${id}`]);
    const resolvedEvents = await h.db.prisma.timelineEvent.count({ where: { incidentId: id, kind: "alert.resolved" } });
    expect(resolvedEvents).toBe(2);
    const prompt = await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => /Every alert of INC-\d+ has resolved/.test(m.text)),
      10_000,
      "all-resolved prompt",
    );
    const button = prompt.blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === "mark_resolved");
    await h.slack.blockAction({
      userId: "URESOLVER",
      channelId: inc.channelId!,
      messageTs: prompt.ts,
      actionId: "mark_resolved",
      value: button.value,
    });
    await eventually(async () => (await h.db.prisma.incident.findUnique({ where: { id } }))?.status === "resolved", 10_000, "resolved");
    expect(await h.db.prisma.incidentAlertKey.count({ where: { incidentId: id } })).toBe(0);
    expect(h.fake.violations).toEqual([]);
  });

  it("Grafana's grouped firing alerts open one P1 incident from the error rate", async () => {
    const res = await postAlert(h.appUrl, "grafana", fixture("grafana-firing"));
    expect(res.status).toBe(202);
    expect(res.json.incidents).toHaveLength(1);
    const inc = await provisioned(incId(res.json.incidents[0]));
    expect(inc.severity).toBe("P1");
    expect(await h.db.prisma.alert.count({ where: { source: "grafana", incidentId: inc.id } })).toBe(2);
  });

  it("PagerDuty trigger → acknowledge (meets the ack clock) → resolve", async () => {
    const trig = await postAlert(h.appUrl, "pagerduty", fixture("pagerduty-trigger"));
    expect(trig.status).toBe(202);
    const id = incId(trig.json.incidents[0]);
    const inc = await provisioned(id);
    expect(inc.severity).toBe("P1");
    const ack = await postAlert(h.appUrl, "pagerduty", fixture("pagerduty-acknowledge"));
    expect(ack.json.incidents).toEqual([`INC-${id}`]);
    const acked = await h.db.prisma.incident.findUniqueOrThrow({ where: { id } });
    expect(acked.acknowledgedAt).not.toBeNull();
    expect(acked.acknowledgedBy).toBe("alert:pagerduty");
    const clock = await h.db.prisma.clock.findFirst({ where: { incidentId: id, kind: "ack" } });
    expect(clock?.metAt).toEqual(acked.acknowledgedAt); // the ack clock exists and the acknowledge met it
    const res = await postAlert(h.appUrl, "pagerduty", fixture("pagerduty-resolve"));
    expect(res.json.incidents).toEqual([`INC-${id}`]);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: id, kind: "alert.resolved" } })).toBe(1);
    // a repeated resolve does nothing more
    await postAlert(h.appUrl, "pagerduty", fixture("pagerduty-resolve"));
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId: id, kind: "alert.resolved" } })).toBe(1);
  });

  it("generic PSI 0.31 opens a P1 of category data with the alert context", async () => {
    const res = await postAlert(h.appUrl, "generic", fixture("generic-single"));
    const id = incId(res.json.incidents[0]);
    const inc = await provisioned(id);
    expect(inc).toMatchObject({ severity: "P1", category: "data" });
    expect(inc.summary).toMatch(/psi = 0\.31/);
    expect(inc.summary).toMatch(/grafana\.example\.com\/d\/drift/);
    const msg = await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => /opened by a drift-monitor alert/.test(m.text)),
      10_000,
      "context",
    );
    expect(JSON.stringify(msg.blocks)).toMatch(/team=ml/);
  });

  it("a silence keeps matching alerts from opening incidents, counts hits, and can be lifted", async () => {
    const silence = await h.slack.command("/incident", "silence team=quiet,service=~batch-.* 2h planned maintenance", {
      userId: "USIL",
      channelId: "CGENERAL",
    });
    expect(silence.status).toBe(200);
    const reply: any = await eventually(
      () => h.fake.ephemerals.find((e: any) => /S-\d+ silences/.test(e.body?.text ?? "")),
      5000,
      "silence reply",
    );
    const sid = Number(/S-(\d+)/.exec(reply.body.text)![1]);
    const before = await h.db.prisma.incident.count();
    const res = await postAlert(h.appUrl, "generic", {
      source: "batch",
      title: "Batch job failed",
      severity: "critical",
      service: "batch-nightly",
      labels: { team: "quiet" },
    });
    expect(res.json.incidents).toEqual([]);
    expect(await h.db.prisma.incident.count()).toBe(before);
    expect((await h.db.prisma.silence.findUniqueOrThrow({ where: { id: sid } })).hits).toBe(1);
    await h.slack.command("/incident", "alerts", { userId: "USIL", channelId: "CGENERAL" });
    await eventually(
      () => h.fake.ephemerals.some((e: any) => JSON.stringify(e.body ?? {}).includes(`silenced by S-${sid}`)),
      5000,
      "alerts list",
    );
    await h.slack.command("/incident", "silences", { userId: "USIL", channelId: "CGENERAL" });
    await eventually(() => h.fake.ephemerals.some((e: any) => /Active silences/.test(e.body?.text ?? "")), 5000, "silences list");
    await h.slack.command("/incident", `unsilence S-${sid}`, { userId: "USIL", channelId: "CGENERAL" });
    await eventually(async () => (await h.db.prisma.silence.findUnique({ where: { id: sid } }))?.liftedAt, 5000, "lifted");
    await eventually(() => h.fake.ephemerals.some((e: any) => /lifted/.test(e.body?.text ?? "")), 5000, "lifted reply");
    for (const bad of ["silence", "silence team=x", "silence team=x 99y because", "silence =x 2h r", "unsilence nope", "alerts extra"]) {
      const n = h.fake.ephemerals.length;
      await h.slack.command("/incident", bad, { userId: "USIL", channelId: "CGENERAL" });
      const e: any = await eventually(() => h.fake.ephemerals.slice(n).find((x: any) => x.via === "response_url"), 5000, `reply to ${bad}`);
      expect(e.body.text).toMatch(/Usage|⚠️/);
    }
  });

  it("a P3 goes to the triage channel; its Declare incident button opens an incident with its context", async () => {
    const res = await postAlert(h.appUrl, "generic", {
      source: "dq",
      title: "Null rate 3% on company_size",
      metric: { name: "null_rate", value: 0.03 },
      model: "lead-scoring",
    });
    expect(res.json.incidents).toEqual([]);
    const msg = await eventually(() => h.fake.messages("CALERTS").find((m) => /Null rate 3%/.test(m.text)), 10_000, "triage message");
    // The job stores the message's ts right after Slack answers: wait for that write, not just the post.
    const alert = await eventually(
      () => h.db.prisma.alert.findFirst({ where: { title: "Null rate 3% on company_size", triageTs: { not: null } } }),
      10_000,
      "triage ts stored",
    );
    expect(alert.triageTs).toBe(msg.ts);
    await h.slack.blockAction({
      userId: "UTRIAGE",
      channelId: "CALERTS",
      messageTs: msg.ts,
      actionId: "declare_from_alert",
      value: String(alert.id),
    });
    const linked = await eventually(
      async () => (await h.db.prisma.alert.findUnique({ where: { id: alert.id } }))?.incidentId,
      10_000,
      "declared",
    );
    const inc = await provisioned(linked);
    expect(inc.declaredBy).toBe("UTRIAGE");
    expect(inc.summary).toMatch(/null_rate/);
    await eventually(
      () => h.fake.callsTo("chat.update").some((c) => c.args.ts === msg.ts && /declared/.test(c.args.text)),
      5000,
      "triage message updated",
    );
    // Dismiss on another one
    await postAlert(h.appUrl, "generic", { source: "dq", title: "Minor drift", severity: "info" });
    const other = await eventually(() => h.fake.messages("CALERTS").find((m) => /Minor drift/.test(m.text)), 10_000, "triage 2");
    const row = await h.db.prisma.alert.findFirstOrThrow({ where: { title: "Minor drift" } });
    await h.slack.blockAction({
      userId: "UTRIAGE",
      channelId: "CALERTS",
      messageTs: other.ts,
      actionId: "dismiss_alert",
      value: String(row.id),
    });
    await eventually(async () => (await h.db.prisma.alert.findUnique({ where: { id: row.id } }))?.declinedAt, 5000, "dismissed");
    expect(h.fake.violations).toEqual([]);
  });
});
