import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_BLOCK_BUDGET } from "../../blocks/incident.js";
import { ACTIONS } from "../../src/chat/ids.js";
import { publicIdOf } from "../../src/status/public-status.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import { declareAndProvision, eventually, type Harness, jobsDrained, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

const DASHBOARD = "https://grafana.example.com/d/lead-scoring/drift?orgId=1";
const RUNBOOK = "https://runbooks.example.com/ml/psi-drift";
const STATUS_BASE = "https://status.example.com/status";

// A generous bound per test (an app restart, a review drafted; the machine is shared): correctness, not speed.
// The pinned header: the next step with its owner, the incident's links as buttons, and the channel's bookmarks.
describe.each(kinds)("header links, bookmarks and Assign step (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN, STATUS_PAGE_URL: STATUS_BASE } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const headerOf = async (incidentId: number) => {
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
    return h.fake.messages(inc.channelId!).find((m) => m.ts === inc.headerTs) as any;
  };
  const linkButtons = (header: any): { text: string; url: string }[] =>
    (header?.blocks.find((b: any) => b.block_id === "header_links")?.elements ?? []).map((e: any) => ({ text: e.text.text, url: e.url }));
  const addsTo = (channelId: string) => h.fake.callsTo("bookmarks.add").filter((c) => c.args.channel_id === channelId);

  it("an alert's dashboard and runbook: link buttons under the next step, each bookmarked once, also across a restart", async () => {
    const res = await postAlert(h.appUrl, "generic", {
      source: "drift-monitor",
      title: "PSI 0.41 on feature lead_source",
      severity: "critical",
      fingerprint: "lead-scoring/psi/lead_source/header-links",
      model: "lead-scoring",
      links: [{ text: "dashboard", url: DASHBOARD }],
      annotations: { runbook_url: RUNBOOK },
    });
    expect(res.status).toBe(202);
    const id = Number(res.json.incidents[0].slice(4));
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { id, provisionedAt: { not: null } } }),
      15_000,
      "provisioned",
    );
    const ch = inc.channelId!;

    const header = await eventually(
      async () => {
        const m = await headerOf(id);
        return linkButtons(m).length === 2 ? m : null;
      },
      10_000,
      "header with its link buttons",
    );
    expect(linkButtons(header)).toEqual([
      { text: "Dashboard", url: DASHBOARD },
      { text: "Runbook", url: RUNBOOK },
    ]);
    expect(header.blocks.length).toBeLessThanOrEqual(HEADER_BLOCK_BUDGET);
    const first = await h.db.prisma.checklistItem.findFirstOrThrow({
      where: { incidentId: id, list: "playbook" },
      orderBy: { position: "asc" },
    });
    const next = header.blocks.find((b: any) => b.block_id === "next_step");
    expect(next.text.text).toContain(`*Next step:* *${first.number}* `);
    expect(next.text.text).toContain("_no owner_");

    // `/incident show` gives the same header, links and next step included, to whoever asks.
    const shown = await runCommand(h, "/incident", "show", { userId: "UOTHER", channelId: ch });
    expect(shown.body.response_type ?? "ephemeral").toBe("ephemeral");
    expect(linkButtons(shown.body)).toEqual(linkButtons(header));
    expect(shown.body.blocks.some((b: any) => b.block_id === "next_step")).toBe(true);

    // Bookmarks: one bookmarks.add per link, type link, with its title.
    await eventually(() => h.fake.bookmarks(ch).length === 2, 10_000, "two bookmarks");
    expect(h.fake.bookmarks(ch).map((b) => [b.title, b.link, b.type])).toEqual([
      ["Dashboard", DASHBOARD, "link"],
      ["Runbook", RUNBOOK, "link"],
    ]);

    // The next step follows the playbook: owning its item names the owner in the header.
    await runCommand(h, "/incident", `owner ${first.number} <@UKIM|kim>`, { userId: "UKIM", channelId: ch });
    await eventually(
      async () => (await headerOf(id)).blocks.find((b: any) => b.block_id === "next_step")?.text.text.includes("<@UKIM>"),
      10_000,
      "next step with its owner",
    );
    await jobsDrained(h);
    expect(addsTo(ch)).toHaveLength(2);

    // A restart, then more changes: nothing is bookmarked again.
    await h.app.stop();
    await h.restart();
    await runCommand(h, "/incident", "note checking the feature export", { userId: "UKIM", channelId: ch });
    await jobsDrained(h);
    expect(addsTo(ch)).toHaveLength(2);
    expect(h.fake.bookmarks(ch)).toHaveLength(2);

    // An answer lost in a crash (sent, never recorded): the job's retry finds it with bookmarks.list, not added twice.
    const row = await h.db.prisma.incidentLink.findUniqueOrThrow({ where: { incidentId_kind: { incidentId: id, kind: "dashboard" } } });
    expect(row.attemptedAt).not.toBeNull();
    await h.db.prisma.incidentLink.update({ where: { id: row.id }, data: { bookmarkId: null } });
    const listsBefore = h.fake.callsTo("bookmarks.list").length;
    await h.app.ctx.jobs.send("bookmarks", { incidentId: id }); // what pg-boss runs again after the crashed attempt
    const found = await eventually(
      () => h.db.prisma.incidentLink.findFirst({ where: { id: row.id, bookmarkId: { not: null } } }),
      10_000,
      "lost bookmark found again",
    );
    expect(found.bookmarkId).toBe(h.fake.bookmarks(ch)[0]!.id);
    expect(h.fake.callsTo("bookmarks.list").length).toBe(listsBefore + 1);
    await jobsDrained(h);
    expect(addsTo(ch)).toHaveLength(2);
    expect(h.fake.violations).toEqual([]);
  }, 60_000);

  it("the status page and the review become buttons and bookmarks once they exist", async () => {
    const inc = await declareAndProvision(h, "P2 Scores stale in the CRM");
    const ch = inc.channelId!;
    await jobsDrained(h);
    expect(addsTo(ch)).toHaveLength(0);
    expect(linkButtons(await headerOf(inc.id))).toEqual([]);

    const preview = await runCommand(h, "/incident", "statuspage Lead scores in the CRM are delayed; we are on it.", {
      userId: "UDECL",
      channelId: ch,
    });
    const draft = preview.body.blocks
      .find((b: any) => b.type === "actions")
      .elements.find((e: any) => e.action_id === ACTIONS.publishStatus).value;
    await h.slack.blockAction({ userId: "UDECL", channelId: ch, actionId: ACTIONS.publishStatus, value: draft });
    const statusUrl = `${STATUS_BASE}/incidents/${publicIdOf(inc.id)}`;
    await eventually(() => h.fake.bookmarks(ch).some((b) => b.title === "Status page" && b.link === statusUrl), 10_000, "status bookmark");
    await eventually(
      async () => linkButtons(await headerOf(inc.id)).some((b) => b.text === "Status page" && b.url === statusUrl),
      10_000,
      "status page button",
    );

    await runCommand(h, "/incident", "resolve feature export restarted", { userId: "UDECL", channelId: ch });
    const review = await eventually(
      () => h.db.prisma.review.findFirst({ where: { incidentId: inc.id, messageTs: { not: null } } }),
      15_000,
      "review",
    );
    const permalink = `https://fake.slack.test/archives/${ch}/p${review.messageTs!.replace(".", "")}`;
    await eventually(() => h.fake.bookmarks(ch).some((b) => b.title === "Review" && b.link === permalink), 10_000, "review bookmark");
    const header = await eventually(
      async () => {
        const m = await headerOf(inc.id);
        return linkButtons(m).some((b) => b.text === "Review") ? m : null;
      },
      10_000,
      "review button",
    );
    expect(linkButtons(header)).toEqual([
      { text: "Status page", url: statusUrl },
      { text: "Review", url: permalink },
    ]);
    expect(header.blocks.length).toBeLessThanOrEqual(HEADER_BLOCK_BUDGET);
    expect(header.blocks.some((b: any) => b.block_id === "next_step")).toBe(false); // resolved: no next step
    await jobsDrained(h);
    expect(addsTo(ch).map((c) => c.args.title)).toEqual(["Status page", "Review"]);
    expect(h.fake.violations).toEqual([]);
  }, 60_000);

  it("a bookmark Slack refuses for good is recorded on the timeline once and not sent again", async () => {
    h.fake.failWithError("bookmarks.add", "not_in_channel");
    const res = await postAlert(h.appUrl, "generic", {
      source: "drift-monitor",
      title: "KS 0.3 on feature tenure",
      severity: "critical",
      fingerprint: "lead-scoring/ks/tenure/header-links",
      annotations: { runbook_url: RUNBOOK },
    });
    const id = Number(res.json.incidents[0].slice(4));
    const row = await eventually(
      () => h.db.prisma.incidentLink.findFirst({ where: { incidentId: id, kind: "runbook", failedCode: { not: null } } }),
      15_000,
      "refusal recorded",
    );
    expect(row.failedCode).toBe("not_in_channel");
    const inc = await h.db.prisma.incident.findUniqueOrThrow({ where: { id } });
    await runCommand(h, "/incident", "note more", { userId: "UKIM", channelId: inc.channelId! });
    await jobsDrained(h);
    expect(addsTo(inc.channelId!)).toHaveLength(1);
    const failed = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: id, kind: "slack.call.failed" } });
    expect(failed.map((e) => (e.data as any).step)).toEqual(["bookmark:runbook"]);
    // The header still offers the link: only the bookmark failed.
    expect(linkButtons(await headerOf(id))).toEqual([{ text: "Runbook", url: RUNBOOK }]);
  }, 60_000);

  it("*Assign step to…* gives every unowned item of the step to the person picked, through the checklist engine", async () => {
    const inc = await declareAndProvision(h, "P2 Null rate on tenure");
    const ch = inc.channelId!;
    const items = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, list: "playbook" },
      orderBy: { position: "asc" },
    });
    const step2 = items.filter((i) => i.stepKey === items.find((x) => x.number.startsWith("2."))!.stepKey);
    expect(step2.length).toBeGreaterThan(1);
    await runCommand(h, "/incident", `owner ${step2[0]!.number} <@UKIM|kim>`, { userId: "UKIM", channelId: ch });

    const playbook = () => h.fake.messages(ch).find((m) => m.ts === inc.playbookTs) as any;
    const line = playbook().blocks.find((b: any) => b.block_id === "step|playbook|2");
    expect(line.accessory).toMatchObject({ type: "users_select", action_id: `${ACTIONS.stepOwner}:playbook:2` });
    // The current step's heading has the picker too.
    expect(playbook().blocks.find((b: any) => b.block_id === "stephead|playbook|1")?.accessory?.type).toBe("users_select");

    const before = h.fake.ephemerals.length;
    await h.slack.blockAction({
      userId: "UDECL",
      channelId: ch,
      messageTs: inc.playbookTs!,
      actionId: line.accessory.action_id,
      selectedUser: "UDANA",
    });
    const told: any = await eventually(
      () => h.fake.ephemerals.slice(before).find((e: any) => e.via === "chat.postEphemeral" && e.user === "UDECL"),
      10_000,
      "ephemeral confirmation",
    );
    const rest = step2.slice(1).map((i) => i.number);
    expect(told.text).toContain(`${rest.join(", ")} now owned by <@UDANA>`);
    const owners = await h.db.prisma.checklistItem.findMany({
      where: { incidentId: inc.id, list: "playbook", stepKey: step2[0]!.stepKey },
      orderBy: { position: "asc" },
    });
    expect(owners.map((o) => o.ownerId)).toEqual(["UKIM", ...rest.map(() => "UDANA")]);
    const events = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "item.owner_set", actorId: "UDECL" } });
    expect(events.map((e) => (e.data as any).number).sort()).toEqual([...rest].sort());
    await eventually(
      () =>
        playbook()
          .blocks.find((b: any) => b.block_id === "step|playbook|2")
          ?.text.text.includes("<@UDANA>"),
      10_000,
      "step line shows the new owner",
    );

    // Picking again changes nothing (every item has an owner now), and says so.
    const again = h.fake.ephemerals.length;
    await h.slack.blockAction({
      userId: "UDECL",
      channelId: ch,
      messageTs: inc.playbookTs!,
      actionId: line.accessory.action_id,
      selectedUser: "UEVE",
    });
    const noop: any = await eventually(
      () => h.fake.ephemerals.slice(again).find((e: any) => e.via === "chat.postEphemeral" && e.user === "UDECL"),
      10_000,
      "nothing to assign",
    );
    expect(noop.text).toMatch(/already has an owner/);
    expect(await h.db.prisma.checklistItem.count({ where: { incidentId: inc.id, ownerId: "UEVE" } })).toBe(0);
    expect(h.fake.violations).toEqual([]);
  }, 60_000);
});
