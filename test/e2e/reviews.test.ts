import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { sweepArchives } from "../../src/reviews/archive-channels.js";
import { sendReminders } from "../../src/reviews/send-reminders.js";
import { ACTIONS, IMPACT_FIELDS, VIEWS } from "../../src/chat/ids.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { jobsIdle, provisioned, runCommand } from "../helpers/reviews.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

// Thursday 19 November 2026; Berlin is UTC+1. Detection 09:45 Berlin, resolution 10:30 Berlin.
const at = (hhmmZ: string, day = "2026-11-19") => new Date(`${day}T${hhmmZ}:00Z`);

/** The uploaded file names people (users.info; the fake knows any U… id by its lower-cased name); the draft keeps ids. */
const asUploaded = (md: string) => md.replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => `@${id.toLowerCase()}`);

describe.each(kinds)("post-incident review (%s)", (kind) => {
  let h: Harness;
  const clock = new ManualClock(at("08:47"));
  let incidentId: number;
  let channelId: string;
  const cmd = (text: string, user = "ULEAD") => runCommand(h, text, user, channelId);
  const channelTexts = () => h.fake.messages(channelId).map((m) => m.text);

  beforeAll(async () => {
    h = await startHarness(kind, { clock, env: { TIMEZONE: "Europe/Berlin", ARCHIVE_AFTER_DAYS: "3" } });
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Lead scoring API latency spike",
      severity: "P2",
      category: "infrastructure",
      declaredBy: "ULEAD",
      source: "alert",
      detectedAt: at("08:45"),
      metricName: "latency_p99",
    });
    incidentId = incident.id;
    channelId = (await provisioned(h, incidentId)).channelId!;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("drafts every section from a scripted incident, posts it with buttons and uploads the Markdown", async () => {
    clock.set(at("08:49"));
    await cmd("ack");
    clock.set(at("08:55"));
    await cmd("note Batch size doubled after the 08:30 deploy");
    clock.set(at("09:05"));
    // The text after `identified` is the root cause: it fills ROOT CAUSE, not the resolution text.
    await cmd("status identified The 08:30 deploy doubled the batch size");
    clock.set(at("09:10"));
    await cmd("status mitigated");
    await cmd("action Add a p95 latency alert on the scoring API <@UOWNER|owner> due 2026-11-24");
    clock.set(at("09:30"));
    await cmd("resolve Rolled back the batch size change");
    // Resolution drafts the review on its own; `review` re-drafts it.
    await eventually(() => h.db.prisma.review.findFirst({ where: { incidentId, messageTs: { not: null } } }), 15_000, "auto draft");
    const reply = await cmd("review");
    expect(reply).toMatch(/due 2026-11-26/);

    const review = await eventually(
      async () => {
        const r = await h.db.prisma.review.findUnique({ where: { incidentId } });
        const done = h.fake.uploads.filter((u) => u.completed);
        return r && done.length >= 2 && r.fileId === done.at(-1)!.fileId ? r : null;
      },
      15_000,
      "second upload",
    );
    // 5 business days after Thursday 19 Nov, skipping the weekend.
    expect(review.dueDate).toBe("2026-11-26");
    const md = review.markdown;
    for (const s of ["INCIDENT REVIEW", "TIMELINE", "IMPACT", "ROOT CAUSE", "WHAT WENT WELL", "WHAT WENT POORLY", "ACTION ITEMS"]) {
      expect(md).toContain(`${s}\n`);
    }
    expect(md).toContain("Date: 2026-11-19");
    expect(md).toContain("Severity: P2");
    expect(md).toContain("Duration: 0 hours 45 minutes (detection to resolution)");
    expect(md).toContain("- 09:45 - Alert fired / issue reported");
    expect(md).toContain("- 09:49 - On-call acknowledged");
    expect(md).toContain("- 10:05 - Root cause identified");
    expect(md).toContain("- 10:10 - Mitigation applied");
    expect(md).toContain("- 10:30 - Full resolution confirmed");
    expect(md).toContain("Times in Europe/Berlin");
    expect(md).toContain("ROOT CAUSE\n----------\nThe 08:30 deploy doubled the batch size\n");
    expect(md).not.toContain("Rolled back the batch size change");
    expect(md).toContain("- Users affected: unknown");
    // Proposed from facts: ack in time, mitigation late (25 min vs 15), no stakeholder update.
    expect(review.wentWell).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Acknowledge within the 5 minutes target \(4 minutes\)/)]),
    );
    expect(review.wentPoorly).toEqual(
      expect.arrayContaining([
        "Mitigation (rollback) took 25 minutes after detection, over the 15 minutes target",
        "No stakeholder update was sent (`/incident update`)",
        expect.stringMatching(/^Product \/ business update missed the 30 minutes target/),
      ]),
    );
    expect(md).toContain("- [ ] Add a p95 latency alert on the scoring API - Owner: <@UOWNER> - Due: 2026-11-24");

    const uploads = h.fake.uploads.filter((u) => u.completed);
    const last = uploads.at(-1)!;
    expect(last.filename).toBe(`INC-${incidentId}-post-incident-review.md`);
    expect(last.channels).toContain(channelId);
    expect(last.bytes!.toString("utf8")).toBe(asUploaded(md));
    expect(review.fileId).toBe(last.fileId);

    const message = h.fake.messages(channelId).find((m) => m.ts === review.messageTs)!;
    const buttons = message.blocks!.flatMap((b: any) => b.elements ?? []).filter((e: any) => e.type === "button");
    expect(buttons.map((b: any) => b.action_id)).toEqual([ACTIONS.reviewImpact, ACTIONS.reviewComplete]);
    // Re-running updates the one review message instead of posting another.
    expect(h.fake.messages(channelId).filter((m) => m.metadata?.event_type === "incident_review")).toHaveLength(1);
    const kindsSeen = (await h.db.prisma.timelineEvent.findMany({ where: { incidentId }, select: { kind: true } })).map((e) => e.kind);
    expect(kindsSeen.filter((k) => k === "review.drafted")).toHaveLength(2);
    expect(h.fake.violations).toEqual([]);
  });

  it("collects the impact with the modal and refreshes the draft", async () => {
    const review = await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId } });
    await h.slack.blockAction({
      userId: "ULEAD",
      channelId,
      messageTs: review.messageTs!,
      actionId: ACTIONS.reviewImpact,
      value: String(incidentId),
    });
    const opened = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === VIEWS.reviewImpact);
    expect(opened.response.ok).toBe(true);
    const bad = await h.slack.viewSubmission({
      userId: "ULEAD",
      callbackId: VIEWS.reviewImpact,
      privateMetadata: JSON.stringify({ incidentId }),
      values: { [IMPACT_FIELDS.usersAffected.block]: { [IMPACT_FIELDS.usersAffected.action]: { type: "number_input", value: "-4" } } },
    });
    expect(JSON.parse(bad.body)).toMatchObject({
      response_action: "errors",
      errors: { [IMPACT_FIELDS.usersAffected.block]: expect.any(String) },
    });
    const res = await h.slack.viewSubmission({
      userId: "ULEAD",
      callbackId: VIEWS.reviewImpact,
      privateMetadata: JSON.stringify({ incidentId }),
      values: {
        [IMPACT_FIELDS.usersAffected.block]: { [IMPACT_FIELDS.usersAffected.action]: { type: "number_input", value: "120" } },
        [IMPACT_FIELDS.revenue.block]: { [IMPACT_FIELDS.revenue.action]: { type: "number_input", value: "4500" } },
        [IMPACT_FIELDS.predictionsAffected.block]: { [IMPACT_FIELDS.predictionsAffected.action]: { type: "number_input", value: "" } },
        [IMPACT_FIELDS.dataLoss.block]: { [IMPACT_FIELDS.dataLoss.action]: { option: "no" } },
      },
    });
    expect(res.status).toBe(200);
    const updated = await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId } });
    expect(updated.impact).toEqual({ usersAffected: 120, revenue: 4500, dataLoss: false });
    expect(updated.markdown).toContain("- Users affected: 120");
    expect(updated.markdown).toContain("- Revenue impact: $4,500 (estimated)");
    expect(updated.markdown).toContain("- Predictions affected: unknown");
    expect(updated.markdown).toContain("- Data loss: No");
    await eventually(
      () => h.fake.uploads.some((u) => u.completed && u.bytes?.toString("utf8") === asUploaded(updated.markdown)),
      15_000,
      "re-upload",
    );
  });

  it("reminds the lead once a day until the review is complete", async () => {
    await jobsIdle(h, ["slack-post", "review-draft", "housekeeping"]);
    const reminders = () => channelTexts().filter((t) => t.includes("Reminder: the post-incident review"));
    clock.set(at("09:40")); // the day of resolution: no reminder yet
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([]);
    clock.set(at("09:00", "2026-11-20")); // Friday 10:00 Berlin
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([incidentId]);
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([]);
    clock.set(at("15:00", "2026-11-20"));
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([]);
    await eventually(() => reminders().length === 1, 10_000, "first reminder");
    expect(reminders()[0]).toContain("<@ULEAD>");
    expect(reminders()[0]).toContain("due 2026-11-26");
    clock.set(at("09:00", "2026-11-21"));
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([incidentId]);
    await eventually(() => reminders().length === 2, 10_000, "second reminder");
    const review = await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId } });
    expect(review.lastRemindedOn).toBe("2026-11-21");
  });

  it("chases an action item on its due date with a DM to the owner and a line in the channel, once a day", async () => {
    const item = await h.db.prisma.actionItem.findFirstOrThrow({ where: { incidentId } });
    clock.set(at("10:00", "2026-11-23")); // a day before it is due
    expect((await sendReminders(h.app.ctx)).actionItems).toEqual([]);
    clock.set(at("08:30", "2026-11-24")); // 09:30 Berlin on the due date
    expect((await sendReminders(h.app.ctx)).actionItems).toEqual([item.id]);
    expect((await sendReminders(h.app.ctx)).actionItems).toEqual([]);
    const dm = await h.fake.waitForCall(
      "chat.postMessage",
      (c) => String(c.args.channel).startsWith("D") && String(c.args.text).includes(`Action item #${item.id}`),
      10_000,
    );
    expect(dm.args.text).toContain("is due today");
    const open = h.fake.callsTo("conversations.open").find((c) => c.args.users === "UOWNER");
    expect(open).toBeTruthy();
    await eventually(
      () => channelTexts().some((t) => t.includes(`Action item #${item.id} for <@UOWNER> is due today`)),
      10_000,
      "channel line",
    );
    expect((await h.db.prisma.actionItem.findUniqueOrThrow({ where: { id: item.id } })).lastChasedOn).toBe("2026-11-24");

    const bad = await cmd("done-action 99999");
    expect(bad).toMatch(/no action item #99999/);
    const done = await cmd(`done-action #${item.id}`);
    expect(done).toMatch(/Action item done/);
    await eventually(() => channelTexts().some((t) => t.startsWith(`☑️ Action item #${item.id} done (<@ULEAD>): `)), 10_000, "done line");
    clock.set(at("09:00", "2026-11-25"));
    expect((await sendReminders(h.app.ctx)).actionItems).toEqual([]);
  });

  it("marks the review complete, warns a day before archiving and archives after ARCHIVE_AFTER_DAYS", async () => {
    clock.set(at("10:00", "2026-11-25"));
    const review = await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId } });
    await h.slack.blockAction({
      userId: "ULEAD",
      channelId,
      messageTs: review.messageTs!,
      actionId: ACTIONS.reviewComplete,
      value: String(incidentId),
    });
    const completed = await eventually(
      () => h.db.prisma.review.findFirst({ where: { incidentId, completedAt: { not: null } } }),
      10_000,
      "completed",
    );
    expect(completed.completedBy).toBe("ULEAD");
    expect(completed.completedAt!.toISOString()).toBe(at("10:00", "2026-11-25").toISOString());
    // The review message loses its buttons.
    await eventually(
      () => {
        const m = h.fake.messages(channelId).find((x) => x.ts === review.messageTs);
        return m && !JSON.stringify(m.blocks).includes(ACTIONS.reviewComplete);
      },
      10_000,
      "message refreshed",
    );
    clock.set(at("09:00", "2026-11-26")); // no reminder once complete
    expect((await sendReminders(h.app.ctx)).reviews).toEqual([]);

    clock.set(at("09:59", "2026-11-27")); // not yet a day before
    expect(await sweepArchives(h.app.ctx)).toEqual({ warned: [], archived: [] });
    clock.set(at("10:01", "2026-11-27"));
    expect(await sweepArchives(h.app.ctx)).toEqual({ warned: [incidentId], archived: [] });
    expect(await sweepArchives(h.app.ctx)).toEqual({ warned: [], archived: [] });
    await eventually(() => channelTexts().some((t) => t.includes("this channel will be archived tomorrow (2026-11-28")), 10_000, "warning");
    expect(h.fake.channel(channelId)!.is_archived).toBe(false);

    clock.set(at("10:02", "2026-11-28"));
    await jobsIdle(h, ["slack-post"]);
    expect(await sweepArchives(h.app.ctx)).toEqual({ warned: [], archived: [incidentId] });
    expect(h.fake.channel(channelId)!.is_archived).toBe(true);
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    expect(inc.archivedAt!.toISOString()).toBe(at("10:02", "2026-11-28").toISOString());
    const events = await h.db.prisma.timelineEvent.findMany({
      where: { incidentId, kind: { in: ["channel.archive_warned", "channel.archived", "review.completed"] } },
    });
    expect(events.map((e) => e.kind).sort()).toEqual(["channel.archive_warned", "channel.archived", "review.completed"]);
    expect(await sweepArchives(h.app.ctx)).toEqual({ warned: [], archived: [] });
    expect(h.fake.violations).toEqual([]);
  });

  it("reopens a resolved incident: status, clocks restarted, review incomplete", async () => {
    clock.set(at("11:00", "2026-11-30"));
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Feature store stale",
      severity: "P2",
      declaredBy: "ULEAD",
      source: "command",
    });
    const ch = (await provisioned(h, incident.id)).channelId!;
    const run = (text: string) => runCommand(h, text, "ULEAD", ch);
    expect(await run("reopen it came back")).toMatch(/only a resolved incident can be reopened/);
    clock.set(at("11:02", "2026-11-30"));
    await run("ack");
    clock.set(at("11:20", "2026-11-30"));
    await run("resolve cache flushed");
    await eventually(() => h.db.prisma.review.findUnique({ where: { incidentId: incident.id } }), 15_000, "draft");
    await h.db.prisma.review.update({ where: { incidentId: incident.id }, data: { completedAt: clock.now(), completedBy: "ULEAD" } });
    clock.set(at("12:00", "2026-11-30"));
    expect(await run("reopen")).toMatch(/Say why/);
    expect(await run("reopen stale features again")).toMatch(/reopened/);
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(inc.status).toBe("investigating");
    expect(inc.resolvedAt).toBeNull();
    expect(inc.mitigatedAt).toBeNull();
    const clocks = Object.fromEntries((await h.db.prisma.clock.findMany({ where: { incidentId: incident.id } })).map((c) => [c.kind, c]));
    expect(clocks.ack!.metAt!.toISOString()).toBe(at("11:02", "2026-11-30").toISOString());
    for (const k of ["mitigate", "product_update"]) {
      expect(clocks[k]!.startedAt.toISOString()).toBe(at("12:00", "2026-11-30").toISOString());
      expect(clocks[k]!.metAt).toBeNull();
      expect(clocks[k]!.stoppedAt).toBeNull();
    }
    expect(clocks.mitigate!.dueAt.toISOString()).toBe(at("12:15", "2026-11-30").toISOString());
    expect((await h.db.prisma.review.findUniqueOrThrow({ where: { incidentId: incident.id } })).completedAt).toBeNull();
    const reopened = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId: incident.id, kind: "incident.reopened" } });
    expect(reopened.data).toEqual({ reason: "stale features again" });
    expect(reopened.actorId).toBe("ULEAD");
    await eventually(() => h.fake.messages(ch).some((m) => m.text.includes("reopened by <@ULEAD>")), 10_000, "announce");
  });

  it("shows stats for a window and refuses a bad one", async () => {
    clock.set(at("12:00", "2026-11-30"));
    const text = await runCommand(h, "stats 30d", "ULEAD", "CGENERAL");
    expect(text).toMatch(/Incidents in the last 30d: 2/);
    expect(await runCommand(h, "stats 12x", "ULEAD", "CGENERAL")).toMatch(/not a window.*\n.*stats \[7d\|30d\|90d\]/);
    expect(h.fake.violations).toEqual([]);
  });
});
