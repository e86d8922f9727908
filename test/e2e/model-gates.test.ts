import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeGateItem } from "../../src/gates/complete-gate-item.js";
import { loadGateView } from "../../src/gates/gate-view.js";
import { recordMeasuredValue } from "../../src/gates/record-measured-value.js";
import { setGateItemOwner } from "../../src/gates/set-gate-item-owner.js";
import type { Criterion } from "../../src/gates/template-schema.js";
import { declareAndProvision, eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";
import { type ModelWorld, startModelWorld } from "../helpers/models.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

const REL = "CRELEASE";
const OWNER = "UOWNER1";
const NA_OWNER = "UOWNER2";
const PEER = "UPEER01";

/** A value that passes the criterion, in its own unit. */
function passingValue(c: Criterion): string {
  if (c.op === "<" || c.op === "<=") return String(c.value / 2);
  if (c.op === ">=") return String(c.value);
  return String(c.value * 1.5 + 1);
}

/**
 * Issue 14 point 6: an incident on a model version knows the release gates that version passed. `/incident model`
 * and the review list them with approver, time and every N/A item with its justification; the review proposes
 * re-checking each N/A item, owned by the item's owner.
 */
describe.each(kinds)("incident ↔ release gates of the model version (%s)", (kind) => {
  let h: Harness;
  let w: ModelWorld;
  beforeAll(async () => {
    w = await startModelWorld();
    h = await startHarness(kind, { env: w.env });
  });
  afterAll(async () => {
    await h?.close();
    await w?.close();
  });

  const gate = (text: string, userId = OWNER) => runCommand(h, "/gate", text, { userId, channelId: REL });
  const openGate = async (subject: string) => {
    const r = await gate(`open shadow ${subject}`);
    const g = await eventually(() => h.db.prisma.gate.findFirst({ where: { subject } }), 10_000, `gate ${subject}`);
    return { ...g, reply: r.text };
  };

  it("a gate passed on lead-scoring v7 with an N/A item → incident on v7 → /incident model and the review name it and propose a re-check", async () => {
    const g = await openGate("lead-scoring v7");
    const other = await openGate("lead-scoring v71"); // another version: not this incident's
    const view = await loadGateView(h.db.prisma, g.id);
    const na = view.items[1]!;
    // Through Slack: the N/A item's owner and its justification, then everything else done, then a peer's approval.
    expect((await gate(`owner G-${g.id} ${na.number} <@${NA_OWNER}|owner2>`)).text).not.toMatch(/usage|not /i);
    const naReply = await gate(`na G-${g.id} ${na.number} no shadow traffic`, NA_OWNER);
    expect(naReply.text).not.toMatch(/usage/i);
    for (const item of view.items) {
      if (item.number === na.number) continue;
      await setGateItemOwner(h.app.ctx, g.id, OWNER, item.number, OWNER);
      if (item.criterion) await recordMeasuredValue(h.app.ctx, g.id, OWNER, item.number, passingValue(item.criterion));
      await completeGateItem(h.app.ctx, g.id, OWNER, item.number);
    }
    const approved = await gate(`approve G-${g.id}`, PEER);
    expect(approved.text).not.toMatch(/cannot be approved/);
    const gateRow = await eventually(
      () => h.db.prisma.gate.findFirst({ where: { id: g.id, status: "approved" } }),
      10_000,
      "gate approved",
    );
    expect(gateRow.approvedBy).toBe(PEER);
    const naRow = await h.db.prisma.gateItem.findFirstOrThrow({ where: { gateId: g.id, number: na.number } });
    expect(naRow).toMatchObject({ state: "na", justification: "no shadow traffic", ownerId: NA_OWNER });

    const inc = await declareAndProvision(h, `P2 --model lead-scoring Scores flat after v7 ${kind}`);
    expect(inc).toMatchObject({ modelName: "lead-scoring", modelVersion: "7" });

    const model = await runCommand(h, "/incident", "model", { userId: "ULEAD", channelId: inc.channelId! });
    const shown = JSON.stringify(model.body.blocks);
    expect(shown).toContain("Release gates of lead-scoring v7");
    expect(shown).toContain(`*G-${g.id}*`);
    expect(shown).toMatch(
      new RegExp(`G-${g.id}\\*.*passed, approved by <@${PEER}> <!date\\^${Math.floor(gateRow.approvedAt!.getTime() / 1000)}\\^`),
    );
    expect(shown).toContain(`N/A ${na.number}`);
    expect(shown).toContain("“no shadow traffic” (owner <@UOWNER2>)");
    expect(shown).not.toContain(`G-${other.id}*`); // v71 is another version

    // Resolving drafts the review: ROOT CAUSE lists the gate, ACTION ITEMS proposes the re-check owned by the item's owner.
    await runCommand(h, "/incident", "resolve rolled back by hand", { userId: "ULEAD", channelId: inc.channelId! });
    const review = await eventually(() => h.db.prisma.review.findUnique({ where: { incidentId: inc.id } }), 15_000, "review");
    const md = review.markdown;
    const rootCause = md.slice(md.indexOf("ROOT CAUSE"), md.indexOf("WHAT WENT WELL"));
    expect(rootCause).toContain("Release gates of lead-scoring v7");
    expect(md.slice(md.indexOf("IMPACT"), md.indexOf("ROOT CAUSE"))).toContain("- Model: lead-scoring version 7\n");
    expect(rootCause).toMatch(
      new RegExp(`- G-${g.id} .*\\(shadow, "lead-scoring v7"\\): passed, approved by <@${PEER}> on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d`),
    );
    expect(rootCause).toContain(`  - N/A ${na.number} ${na.text}: "no shadow traffic" (owner <@${NA_OWNER}>)`);
    expect(rootCause).not.toContain(`G-${other.id} `);
    const proposal = `- [ ] Re-check gate G-${g.id} item ${na.number} (N/A: 'no shadow traffic') - Owner: <@${NA_OWNER}> - Due: not set (proposed)`;
    expect(md.slice(md.indexOf("ACTION ITEMS"))).toContain(proposal);
    // The uploaded draft carries it too (people named @name there, not <@U…>), and so does the review message in the channel.
    const recheck = new RegExp(
      `- \\[ \\] Re-check gate G-${g.id} item ${na.number.replace(".", "\\.")} \\(N/A: 'no shadow traffic'\\) - Owner: @\\S+ - Due: not set \\(proposed\\)`,
    );
    await eventually(() => h.fake.uploads.some((u) => u.completed && recheck.test(u.bytes?.toString("utf8") ?? "")), 15_000, "upload");
    const msg = await eventually(
      () => h.fake.messages(inc.channelId!).find((m) => JSON.stringify(m.blocks ?? []).includes("Proposed action items")),
      15_000,
      "review message",
    );
    expect(JSON.stringify(msg.blocks)).toContain(
      `Re-check gate G-${g.id} item ${na.number} (N/A: 'no shadow traffic') — owner: <@${NA_OWNER}>`,
    );
  });

  it("an incident on a version no gate names says so, and the review proposes nothing from gates", async () => {
    const inc = await declareAndProvision(h, `P2 --model churn Churn flat ${kind}`);
    expect(inc.modelVersion).toBe("3");
    const model = await runCommand(h, "/incident", "model", { userId: "ULEAD", channelId: inc.channelId! });
    expect(JSON.stringify(model.body.blocks)).toContain("No gate names churn v3 in its subject");
    await runCommand(h, "/incident", "review", { userId: "ULEAD", channelId: inc.channelId! });
    const review = await eventually(() => h.db.prisma.review.findUnique({ where: { incidentId: inc.id } }), 15_000, "review");
    expect(review.markdown).toContain("Release gates: no gate names churn v3 in its subject.");
    expect(review.markdown).not.toContain("(proposed)");
  });
});
