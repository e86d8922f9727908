import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("/incident commands (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  const inChannel = (channelId: string, userId = "UDECL") => ({ channelId, userId });
  const playbookBlocks = (channelId: string, ts: string) => h.fake.messages(channelId).find((m: any) => m.ts === ts)?.blocks ?? [];
  const events = (incidentId: number) => h.db.prisma.timelineEvent.findMany({ where: { incidentId }, orderBy: { id: "asc" } });

  it("help lists every subcommand; an unknown one gets usage; in-channel commands elsewhere say so", async () => {
    const help = await runCommand(h, "/incident", "help", inChannel("CGENERAL"));
    for (const sub of [
      "declare",
      "list",
      "ack",
      "sev",
      "lead",
      "comms",
      "status",
      "resolve",
      "note",
      "owner",
      "done",
      "na",
      "action",
      "timeline",
    ]) {
      expect(help.text).toContain(`/incident ${sub}`);
    }
    const unknown = await runCommand(h, "/incident", "frobnicate", inChannel("CGENERAL"));
    expect(unknown.text).toMatch(/Unknown \/incident subcommand "frobnicate"/);
    expect(unknown.text).toContain("/incident declare [--private]"); // the usage, not just "try help"
    expect(unknown.body.response_type).toBe("ephemeral");
    const outside = await runCommand(h, "/incident", "ack", inChannel("CGENERAL"));
    expect(outside.text).toMatch(/only inside an incident channel/);
    expect(outside.body.response_type).toBe("ephemeral");
    const noTitle = await runCommand(h, "/incident", "declare P1", inChannel("CGENERAL"));
    expect(noTitle.text).toMatch(/title/);
    expect(noTitle.text).toContain("Usage:");
  });

  it("takes command text as typed: Slack's &amp; &lt; &gt; entities become the characters once", async () => {
    // should_escape: true — Slack sends "A & B <x>" as "A &amp; B &lt;x&gt;".
    const inc = await declareAndProvision(h, "P3 Cache &amp; queue &lt;eu-west&gt; down");
    expect(inc.title).toBe("Cache & queue <eu-west> down");
    const header = h.fake.messages(inc.channelId!).find((m: any) => m.metadata?.event_type === "incident_header");
    expect(header?.text).toContain("Cache &amp; queue &lt;eu-west&gt; down");
    expect(header?.text).not.toContain("&amp;amp;");
  });

  it("runs an incident from channel: ack, roles, severity, owners, done, N/A, status, notes, action items, timeline, resolve", async () => {
    const inc = await declareAndProvision(h, "P2 Feature store returns stale features");
    const ch = inc.channelId!;
    const u = (userId: string) => inChannel(ch, userId);

    expect((await runCommand(h, "/incident", "ack", u("UDANA"))).text).toMatch(/Acknowledged/);
    expect((await runCommand(h, "/incident", "ack", u("UOTHER"))).text).toMatch(/Already acknowledged by <@UDANA>/);
    expect((await runCommand(h, "/incident", "lead <@ULEAD|lea>", u("UDANA"))).text).toMatch(/Lead set to <@ULEAD>/);
    expect((await runCommand(h, "/incident", "comms <@UCOMMS|co>", u("UDANA"))).text).toMatch(/Comms owner set/);
    expect((await runCommand(h, "/incident", "sev P1", u("ULEAD"))).text).toMatch(/Severity set to P1/);
    expect((await runCommand(h, "/incident", "sev P9", u("ULEAD"))).text).toMatch(/not a severity[\s\S]*Usage:/);
    expect((await runCommand(h, "/incident", "owner 3.1 <@UOPS|ops>", u("ULEAD"))).text).toMatch(/owned by <@UOPS>/);
    expect((await runCommand(h, "/incident", "owner 9.9 <@UOPS|ops>", u("ULEAD"))).text).toMatch(
      /playbook has no item "9\.9"; its items are numbered 1\.1 to/,
    );
    expect((await runCommand(h, "/incident", "owner 3.1", u("ULEAD"))).text).toMatch(/Usage:/);
    expect((await runCommand(h, "/incident", "done 1.1", u("UOPS"))).text).toMatch(/1.1 marked done/);
    expect((await runCommand(h, "/incident", "na 4.2", u("ULEAD"))).text).toMatch(/needs a justification/);
    expect((await runCommand(h, "/incident", "na 4.2 no public status page for this internal model", u("ULEAD"))).text).toMatch(/N\/A/);
    expect((await runCommand(h, "/incident", "status identified", u("ULEAD"))).text).toMatch(/identified/);
    expect((await runCommand(h, "/incident", "status sleeping", u("ULEAD"))).text).toMatch(/not a status[\s\S]*Usage:/);
    expect((await runCommand(h, "/incident", "note rolled back registry pointer to v41", u("ULEAD"))).text).toMatch(/timeline/);
    const action = await runCommand(
      h,
      "/incident",
      "action Add freshness check to the feature store <@UDATA|d> due 2026-12-01",
      u("ULEAD"),
    );
    expect(action.text).toMatch(/Action item #\d+ added for <@UDATA>, due 2026-12-01/);
    expect((await runCommand(h, "/incident", "action no owner here", u("ULEAD"))).text).toMatch(/exactly one owner/);
    expect((await runCommand(h, "/incident", "action x <@UDATA> due 2026-13-45", u("ULEAD"))).text).toMatch(/not a date/);
    expect((await runCommand(h, "/incident", "status mitigated", u("ULEAD"))).text).toMatch(/mitigated/);

    const timeline = await runCommand(h, "/incident", "timeline", u("ULEAD"));
    const timelineText = JSON.stringify(timeline.body.blocks);
    for (const s of [
      "declared",
      "Acknowledged by <@UDANA>",
      "Incident lead: <@ULEAD>",
      "Severity P2 → P1",
      "3.1",
      "rolled back registry pointer",
      "Status identified → mitigated",
    ]) {
      expect(timelineText).toContain(s);
    }

    expect((await runCommand(h, "/incident", "resolve stale cache flushed, pointer rolled back", u("ULEAD"))).text).toMatch(/resolved/);
    expect((await runCommand(h, "/incident", "resolve again", u("ULEAD"))).text).toMatch(/already resolved/);

    const row = await h.db.prisma.incident.findUniqueOrThrow({ where: { id: inc.id } });
    expect(row).toMatchObject({ severity: "P1", status: "resolved", leadId: "ULEAD", commsId: "UCOMMS", acknowledgedBy: "UDANA" });
    expect(row.acknowledgedAt && row.identifiedAt && row.mitigatedAt && row.resolvedAt).toBeTruthy();
    const kindsSeen = (await events(inc.id)).map((e) => e.kind);
    for (const k of [
      "incident.declared",
      "incident.acknowledged",
      "role.assigned",
      "severity.changed",
      "item.owner_set",
      "item.completed",
      "item.marked_na",
      "status.changed",
      "note.added",
      "action_item.added",
      "incident.resolved",
    ]) {
      expect(kindsSeen).toContain(k);
    }
    for (const e of await events(inc.id)) expect(e.at).toBeInstanceOf(Date);
    expect((await events(inc.id)).filter((e) => e.kind === "item.completed").every((e) => e.actorId === "UOPS")).toBe(true);
    const clocks = await h.db.prisma.clock.findMany({ where: { incidentId: inc.id } });
    expect(clocks.find((c) => c.kind === "ack")?.metAt).toBeTruthy();
    expect(clocks.find((c) => c.kind === "mitigate")?.metAt).toBeTruthy();

    // Every change is visible in the channel: announcements posted, pinned messages updated in place.
    await eventually(() => h.fake.messages(ch).some((m: any) => /Resolved by <@ULEAD>/.test(m.text)), 10_000, "resolve announcement");
    await eventually(
      async () => {
        const blocks = JSON.stringify(playbookBlocks(ch, row.playbookTs!));
        return blocks.includes("<@UOPS>") && blocks.includes("N/A: _no public status page");
      },
      10_000,
      "playbook re-rendered",
    );
    const header = JSON.stringify(h.fake.messages(ch).find((m: any) => m.ts === row.headerTs)?.blocks);
    await eventually(
      () => JSON.stringify(h.fake.messages(ch).find((m: any) => m.ts === row.headerTs)?.blocks).includes("resolved"),
      10_000,
      "header re-rendered",
    );
    expect(header).toBeTruthy();
    await eventually(() => h.fake.channel(ch)?.topic?.value?.includes("resolved"), 10_000, "topic updated");
    expect(h.fake.violations).toEqual([]);
  });

  it("list shows open public incidents and hides private ones from others", async () => {
    const pub = await declareAndProvision(h, "P3 Public drift in lead_source");
    const priv = await declareAndProvision(h, "--private P2 Pricing model leak", "USECRET");
    expect(priv.isPrivate).toBe(true);
    expect(h.fake.channel(priv.channelId!)?.is_private).toBe(true);
    const other = await runCommand(h, "/incident", "list", inChannel("CGENERAL", "UOTHER"));
    const otherText = JSON.stringify(other.body.blocks);
    expect(otherText).toContain(`INC-${pub.id}`);
    expect(otherText).not.toContain(`INC-${priv.id}`);
    const owner = await runCommand(h, "/incident", "list", inChannel("CGENERAL", "USECRET"));
    expect(JSON.stringify(owner.body.blocks)).toContain(`INC-${priv.id}`);
  });

  it("names channels inc-YYYYMMDD-slug, falls back to incident-<n>, and adds -2 when the name is taken", async () => {
    const a = await declareAndProvision(h, "P3 Same title twice");
    const b = await declareAndProvision(h, "P3 Same title twice");
    expect(b.channelName).toBe(`${a.channelName}-2`);
    const c = await declareAndProvision(h, "P3 🚨🔥 ⚠️");
    expect(c.channelName).toMatch(new RegExp(`^inc-\\d{8}-incident-${c.id}$`));
    const long = await declareAndProvision(h, `P3 ${"very long title words ".repeat(6)}`);
    expect(long.channelName!.length).toBeLessThanOrEqual(80);
    expect(long.channelName).toMatch(/^[a-z0-9-]+$/);
  });
});
