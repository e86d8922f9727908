import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { setItemOwner } from "../../src/incidents/checklist-items.js";
import { chaseGates } from "../../src/gates/chase-gates.js";
import { completeGateItem } from "../../src/gates/complete-gate-item.js";
import { abTest } from "../../src/gates/stats.js";
import { markGateItemNa } from "../../src/gates/mark-gate-item-na.js";
import { recordMeasuredValue } from "../../src/gates/record-measured-value.js";
import { setGateItemOwner } from "../../src/gates/set-gate-item-owner.js";
import { loadGateView } from "../../src/gates/gate-view.js";
import type { Criterion } from "../../src/gates/template-schema.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

const REL = "CRELEASE";
const OWNER = "UOWNER1";
const OWNER2 = "UOWNER2";
const PEER = "UPEER01";

/** A value that passes the criterion, in its own unit. */
function passingValue(c: Criterion): string {
  if (c.op === "<" || c.op === "<=") return String(c.value / 2);
  if (c.op === ">=") return String(c.value);
  return String(c.value * 1.5 + 1);
}

describe.each(kinds)("release gates (%s)", (kind) => {
  let h: Harness;
  const clock = new ManualClock(new Date("2026-11-23T09:00:00Z"));

  /** Runs `/gate <text>` and returns the ephemeral reply's text. */
  async function gate(text: string, userId = OWNER, channelId = REL): Promise<string> {
    const res = await h.slack.command("/gate", text, { userId, channelId });
    expect(res.status).toBe(200);
    const id = decodeURIComponent(res.responseUrl!.split("/").pop()!);
    const reply = await eventually(
      () => h.fake.ephemerals.find((e) => e.via === "response_url" && e.id === id),
      10_000,
      `reply to /gate ${text}`,
    );
    return reply.via === "response_url" ? String(reply.body.text) : "";
  }

  const gateMessage = async (gateId: number) => {
    const g = await eventually(
      () => h.db.prisma.gate.findFirst({ where: { id: gateId, messageTs: { not: null } } }),
      10_000,
      "gate message",
    );
    return h.fake.messages(g.channelId).find((m) => m.ts === g.messageTs)!;
  };
  const messageText = (m: { blocks?: any[] }) => JSON.stringify(m.blocks ?? []);
  const events = (gateId: number, kind?: string) =>
    h.db.prisma.gateEvent.findMany({ where: { gateId, ...(kind ? { kind } : {}) }, orderBy: { id: "asc" } });
  const latestGate = async () => (await h.db.prisma.gate.findFirst({ orderBy: { id: "desc" } }))!;

  /** Owners for every item, passing values for the measured ones, and done: a gate ready for a peer. */
  async function finish(gateId: number, owner = OWNER) {
    const ctx = h.app.ctx;
    const g = await loadGateView(h.db.prisma, gateId);
    for (const item of g.items) {
      if (!item.ownerId) await setGateItemOwner(ctx, gateId, owner, item.number, owner);
      if (item.criterion && item.measuredPassing !== true)
        await recordMeasuredValue(ctx, gateId, owner, item.number, passingValue(item.criterion));
      if (item.state === "todo") await completeGateItem(ctx, gateId, owner, item.number);
    }
  }

  beforeAll(async () => {
    h = await startHarness(kind, { clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers help, templates and unknown subcommands", async () => {
    expect(await gate("help")).toContain("/gate open <template>");
    const templates = await gate("templates");
    for (const id of ["pre-development", "shadow", "canary", "ab-test", "full-rollout"]) expect(templates).toContain(id);
    const unknown = await gate("frobnicate G-1");
    expect(unknown).toContain('Unknown /gate subcommand "frobnicate"');
  });

  it("walks shadow → canary → ab-test → full-rollout with owners, measurements and peer approval", async () => {
    const subject = "lead-scoring v2";
    // Canary before shadow passed: refused; override without a justification: refused.
    const early = await gate(`open canary ${subject}`);
    expect(early).toContain('canary for "lead-scoring v2" cannot open until its shadow gate has passed');
    expect(early).toContain("--override <justification>");
    expect(await gate(`open canary ${subject} --override`)).toContain("`--override` needs a justification");
    expect(await h.db.prisma.gate.count()).toBe(0);

    expect(await gate(`open shadow ${subject}`)).toMatch(/G-\d+ opened: Stage 1: shadow deployment — lead-scoring v2 \(18 items/);
    const shadow = await latestGate();
    const msg = await gateMessage(shadow.id);
    expect(msg.blocks!.length).toBeLessThanOrEqual(50);
    expect(messageText(msg)).toContain("users_select");
    expect(messageText(msg)).toContain(`gate_item_done:1.1`);
    expect(messageText(msg)).toContain("0/18 done, 0 N/A, 18 unowned");
    expect(await gate(`open shadow ${subject}`)).toContain("is already open");

    // Items: 2.1 is p99 < 200 ms.
    const p99 = (await h.db.prisma.gateItem.findFirst({ where: { gateId: shadow.id, key: { contains: "p99" } } }))!;
    const ref = `G-${shadow.id}`;
    const refused = await gate(`done ${ref} ${p99.number}`);
    expect(refused).toContain(`${p99.number} has a measured criterion (p99 < 200 ms)`);
    expect(refused).toContain("no value has been recorded yet");

    const failing = await gate(`record g-${shadow.id} ${p99.number} 250ms`);
    expect(failing).toContain("❌");
    expect(failing).toContain("p99 250 ms fails < 200 ms");
    await eventually(
      async () => messageText(await gateMessage(shadow.id)).includes("❌ *p99 250 ms fails &lt; 200 ms*"),
      10_000,
      "red failing value",
    );
    expect(await gate(`done ${shadow.id} ${p99.number}`)).toContain("the recorded value fails it (p99 250 ms fails < 200 ms)");
    expect(await gate(`record ${ref} ${p99.number} 180ms`)).toContain("p99 180 ms meets < 200 ms");
    expect(await gate(`done ${ref} ${p99.number}`)).toContain(`${ref} ${p99.number} done`);

    // Approve with unowned and undone items: refused, naming them.
    const notReady = await gate(`approve ${ref}`, PEER);
    expect(notReady).toMatch(/cannot be approved yet: 17 items not done: 1\.1, 1\.2, .*; 18 items without an owner: 1\.1, 1\.2/);

    // N/A needs a justification.
    expect(await gate(`na ${ref} 1.3`)).toContain("N/A needs a justification");
    expect(await gate(`na ${ref} 1.3 Feature flags are handled by the platform team`)).toContain("marked N/A");
    expect(await gate(`owner ${ref} 1.1 <@${OWNER2}|bob>`)).toContain(`owner <@${OWNER2}>`);
    expect(await gate(`assign-all ${ref} <@${OWNER}|alice>`)).toContain("now owns 17 items");
    await finish(shadow.id);

    // The approver may not own an item; a peer may.
    const own = await gate(`approve ${ref}`, OWNER2);
    expect(own).toContain("You own item 1.1");
    expect(await gate(`approve ${ref}`, PEER)).toContain(`${ref} approved`);
    const approved = (await h.db.prisma.gate.findUnique({ where: { id: shadow.id } }))!;
    expect(approved).toMatchObject({ status: "approved", approvedBy: PEER });
    await eventually(async () => messageText(await gateMessage(shadow.id)).includes(`Approved by <@${PEER}>`), 10_000, "approved message");

    // Frozen: every change refused, pointing to reopen; reopen then approve again.
    const frozen = await gate(`na ${ref} 1.2 not needed`);
    expect(frozen).toContain("approved and frozen");
    expect(frozen).toContain(`/gate reopen ${ref} <reason>`);
    expect(await gate(`reopen ${ref}`)).toContain("Reopening needs a reason");
    expect(await gate(`reopen ${ref} p99 regressed after the config change`)).toContain("reopened");
    expect(await gate(`approve ${ref}`, PEER)).toContain("approved");

    // Canary now opens in order; ab-test needs canary first.
    expect(await gate(`open ab-test ${subject}`)).toContain("cannot open until its canary gate has passed");
    expect(await gate(`open canary ${subject}`)).toContain("opened");
    const canary = await latestGate();
    await finish(canary.id);
    expect(await gate(`approve G-${canary.id}`, PEER)).toContain("approved");

    expect(await gate(`open ab-test ${subject}`)).toContain("opened");
    const ab = await latestGate();
    // The A/B helper: the numbers come from stats.ts.
    const expected = abTest(450, 5000, 510, 5000);
    const abReply = await gate("ab 450 5000 510 5000");
    expect(abReply).toContain("Control rate: 9.00% · treatment rate: 10.20%");
    expect(abReply).toContain(`two-sided p = ${expected.pValue.toFixed(4)}`);
    expect(abReply).toContain("Absolute lift: +1.20 pts · relative lift: +13.3%");
    expect(abReply).toContain(`Decision: ${expected.decision}`);
    expect(abReply).toContain(
      `[${(expected.confidenceInterval.lower * 100).toFixed(2)}, ${(expected.confidenceInterval.upper * 100).toFixed(2)}] pts`,
    );
    await finish(ab.id);
    expect(await gate(`approve G-${ab.id}`, PEER)).toContain("approved");

    expect(await gate(`open full-rollout ${subject}`)).toContain("opened");
    const full = await latestGate();
    await finish(full.id);
    expect(await gate(`approve G-${full.id}`, PEER)).toContain("approved");
    expect(await h.db.prisma.gate.count({ where: { subject, status: "approved" } })).toBe(4);

    // Events: one per change, with actor and time.
    const opened = await events(shadow.id, "gate.opened");
    expect(opened).toHaveLength(1);
    expect(opened[0]!.actorId).toBe(OWNER);
    const approvedEvents = await events(shadow.id, "gate.approved");
    expect(approvedEvents.map((e) => e.actorId)).toEqual([PEER, PEER]);
    expect(await events(shadow.id, "gate.reopened")).toHaveLength(1);
    const measured = await events(shadow.id, "item.measured");
    expect(measured.slice(0, 2).map((e) => (e.data as any).passing)).toEqual([false, true]);
    expect(h.fake.violations).toEqual([]);
  }, 90_000); // about 80 sequential commands and renders: 5 s alone, far more on a loaded 2-core runner

  it("opens out of order with an override and records who and why", async () => {
    expect(await gate("open canary churn-model --override hotfix; shadow ran on the previous build", PEER)).toContain(
      "opened out of order",
    );
    const g = await latestGate();
    expect(g.overrideReason).toBe("hotfix; shadow ran on the previous build");
    const [opened] = await events(g.id, "gate.opened");
    expect((opened!.data as any).override).toEqual({ by: PEER, requires: "shadow", reason: "hotfix; shadow ran on the previous build" });
    expect(opened!.actorId).toBe(PEER);
  });

  it("refuses unknown gates, items, templates and bad numbers with the usage", async () => {
    expect(await gate("done G-9999 1.1")).toContain("There is no gate G-9999");
    expect(await gate("status banana")).toContain('"banana" is not a gate id');
    expect(await gate("status")).toContain("Usage: `/gate status <gate>`");
    await gate("open model-card fraud-v3");
    const g = await latestGate();
    expect(await gate(`done G-${g.id} 9.9`)).toContain(`G-${g.id} has no item "9.9"`);
    expect(await gate(`owner G-${g.id} 1.1 bob`)).toContain('"bob" is not a user');
    expect(await gate(`record G-${g.id} 1.1 12`)).toContain("has no measured criterion");
    const unknown = await gate("open nonsense fraud-v3");
    expect(unknown).toContain('Unknown template "nonsense"');
    expect(unknown).toContain("Usage: `/gate open");
    expect(await gate("open shadow")).toContain("Name what the shadow gate is for");
    expect(await gate("ab 450 5000 x 5000")).toContain('treatment conversions "x" is not a whole number');
    expect(await gate("ab 450 5000 510")).toContain("Give four whole numbers (got 3)");
    expect(await gate("ab 6000 5000 510 5000")).toContain("control conversions (6000) cannot exceed control total (5000)");
    expect(await gate("samplesize 0.1 abc")).toContain('expected rate "abc" is not a rate');
    expect(await gate("samplesize 10% 10%")).toContain("must differ");
    const n = await gate("samplesize 10% 0.12");
    expect(n).toMatch(/\*3,8\d\d per group\*/);
    const shadow = (await h.db.prisma.gate.findFirst({ where: { templateId: "shadow", status: "approved" } }))!;
    expect(await gate(`record G-${shadow.id} 2.1 fast`)).toContain("approved and frozen");
  });

  it("works from the message: owner picker, Done, N/A modal; two Done at once stay consistent", async () => {
    await gate("open model-development fraud-v4", OWNER, REL);
    const g = await latestGate();
    const msg = await gateMessage(g.id);
    const action = (input: Record<string, unknown>) =>
      h.slack.blockAction({ userId: OWNER, channelId: REL, messageTs: msg.ts, ...input } as any);

    expect((await action({ actionId: "gate_item_owner:1.1", blockId: `gate|${g.id}|1.1`, selectedUser: OWNER2 })).status).toBe(200);
    await eventually(async () => (await h.db.prisma.gateItem.findFirst({ where: { gateId: g.id, number: "1.1" } }))?.ownerId === OWNER2);

    // Two people press Done on the same item at once, and on two items at once.
    await Promise.all([
      action({ actionId: "gate_item_done:1.1", value: `${g.id}|1.1` }),
      h.slack.blockAction({ userId: OWNER2, channelId: REL, messageTs: msg.ts, actionId: "gate_item_done:1.1", value: `${g.id}|1.1` }),
      action({ actionId: "gate_item_done:1.2", value: `${g.id}|1.2` }),
    ]);
    await eventually(async () => (await events(g.id, "item.completed")).length === 2, 10_000, "two completions");
    const completed = await events(g.id, "item.completed");
    expect(completed.map((e) => (e.data as any).number).sort()).toEqual(["1.1", "1.2"]);
    await eventually(async () => messageText(await gateMessage(g.id)).includes("2/8 done"), 10_000, "message shows both");

    // N/A opens the modal with the gate's own callback id; an empty justification is refused.
    await action({ actionId: "gate_item_na:1.3", value: `${g.id}|1.3` });
    const opened = await h.fake.waitForCall("views.open", (c) => c.args.view?.callback_id === "gate_item_na_modal");
    expect(opened.args.view.private_metadata).toBe(`${g.id}|1.3`);
    const empty = await h.slack.viewSubmission({
      userId: OWNER,
      callbackId: "gate_item_na_modal",
      privateMetadata: `${g.id}|1.3`,
      values: { justification: { justification_input: " " } },
    });
    expect(empty.body).toContain("Say why this item does not apply");
    const ok = await h.slack.viewSubmission({
      userId: OWNER,
      callbackId: "gate_item_na_modal",
      privateMetadata: `${g.id}|1.3`,
      values: { justification: { justification_input: "No training data changes in this release" } },
    });
    expect(ok.status).toBe(200);
    const item = (await h.db.prisma.gateItem.findFirst({ where: { gateId: g.id, number: "1.3" } }))!;
    expect(item).toMatchObject({ state: "na", justification: "No training data changes in this release", completedBy: OWNER });
    await eventually(async () => messageText(await gateMessage(g.id)).includes("1 N/A"), 10_000, "N/A shown");

    // Approve button with items left: the clicker is told what is missing.
    await action({ actionId: "gate_approve", value: String(g.id) });
    const told = await eventually(() =>
      h.fake.ephemerals.find((e) => e.via === "chat.postEphemeral" && e.user === OWNER && /cannot be approved yet/.test(e.text ?? "")),
    );
    expect((told as any).text).toContain("5 items not done: 2.1, 2.2");
    expect(h.fake.violations).toEqual([]);
  });

  it("exports a gate as a Markdown file with every item", async () => {
    const g = (await h.db.prisma.gate.findFirst({ where: { templateId: "shadow" } }))!;
    const reply = await gate(`export G-${g.id}`);
    expect(reply).toContain(`# G-${g.id} · Stage 1: shadow deployment`);
    const upload = await eventually(
      () => h.fake.uploads.find((u) => u.completed && u.filename === `g-${g.id}-shadow.md`),
      10_000,
      "upload",
    );
    expect(upload.channels).toEqual([REL]);
    const content = upload.bytes!.toString("utf8");
    const items = await h.db.prisma.gateItem.findMany({ where: { gateId: g.id } });
    for (const item of items) expect(content).toContain(`| ${item.number} |`);
    expect(content).toContain(`Approved: `);
    // People by the names Slack knows them by (users.info; the fake's made-up users are named like their ids, in
    // lower case), in the file and in the preview: never bare ids.
    const name = (id: string) => `@${id.toLowerCase()}`;
    expect(content).toMatch(new RegExp(`Approved: .* by ${name(PEER)}`));
    expect(content).toContain(`| ${name(OWNER)} |`);
    expect(content).not.toMatch(/<@|\| U[A-Z0-9]+ \|/);
    expect(reply).toContain(name(PEER));
    expect(reply).not.toContain("<@");
    expect(content).toContain("PASS: p99 180 ms meets < 200 ms");
    expect(content).toContain("Feature flags are handled by the platform team");
  });

  it("chases unowned items once a day and DMs owners; App Home lists my open items", async () => {
    const CH = "CCHASE1";
    await gate("open documentation search-ranker", OWNER, CH);
    const g = await latestGate();
    await gateMessage(g.id);
    await setGateItemOwner(h.app.ctx, g.id, OWNER, "1.1", OWNER2);
    const announcements = () => h.fake.messages(CH).filter((m) => /no owner yet/.test(m.text));

    await h.app.ctx.jobs.send("gateChase", {});
    await eventually(() => announcements().length === 1, 10_000, "first announcement");
    const dm = await eventually(() =>
      h.fake.callsTo("chat.postMessage").find((c) => /open gate item/.test(c.args.text ?? "") && String(c.args.channel).startsWith("D")),
    );
    expect(JSON.stringify(dm.args.blocks)).toContain(`G-${g.id} 1.1`);

    // Same day, again, from two "processes" at once: nothing new.
    expect((await h.db.prisma.gate.findUnique({ where: { id: g.id } }))!.lastChasedOn).toBe("2026-11-23");
    const again = await Promise.all([chaseGates(h.app.ctx), chaseGates(h.app.ctx)]);
    expect(again.flatMap((r) => r.announced)).toEqual([]);
    expect(announcements()).toHaveLength(1);

    clock.advance(24 * 3600);
    await h.app.ctx.jobs.send("gateChase", {});
    await eventually(() => announcements().length === 2, 10_000, "next day's announcement");
    expect(await events(g.id, "gate.chased")).toHaveLength(2);

    // App Home: open gate items and incident playbook items of the user.
    await markGateItemNa(h.app.ctx, g.id, OWNER2, "1.2", "covered by the platform runbook");
    const { incident } = await declareIncident(h.app.ctx, {
      title: "Ranker latency spike",
      severity: "P2",
      declaredBy: OWNER,
      source: "command",
    });
    await setItemOwner(h.app.ctx, incident.id, OWNER, "1.1", OWNER2);
    await h.slack.event({ type: "app_home_opened", user: OWNER2, channel: "DHOME1", tab: "home" });
    const home = await eventually(() => h.fake.homeView(OWNER2), 10_000, "home published");
    const text = JSON.stringify(home.blocks);
    expect(text).toContain("My open items");
    expect(text).toContain(`G-${g.id}`);
    expect(text).toContain("1.1");
    expect(text).toContain("Release gates");
    expect(text).toContain("*Incident playbooks* (1)");
    expect(text).toContain(`INC-${incident.id}`);
    expect(text).toContain("*Release gates* (1)");
    // The team's 30-day numbers sit below the personal list.
    expect(text).toContain("Incident stats · last 30d");
    expect(text).toMatch(/MTTA/);
    expect(h.fake.violations).toEqual([]);
  });
});
