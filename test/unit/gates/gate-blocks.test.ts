import { describe, expect, it } from "vitest";
import { gateMessageBlocks, gateStatusBlocks } from "../../../blocks/gate.js";
import { gateHelpText, GATE_USAGE } from "../../../blocks/gate-help.js";
import { parseGateRef } from "../../../src/gates/gate-ref.js";
import type { GateItemView, GateView } from "../../../src/gates/gate-view.js";
import { blockingProblems, gateProgress, progressLine } from "../../../src/gates/progress.js";
import { checklistItem } from "../../helpers/items.js";

function item(number: string, over: Partial<GateItemView> = {}): GateItemView {
  return checklistItem({ ...over, number });
}

function gate(items: GateItemView[], over: Partial<GateView> = {}): GateView {
  return {
    id: 7,
    templateId: "custom",
    title: "Custom",
    subject: "model x",
    status: "open",
    channelId: "C1",
    messageTs: null,
    openedBy: "U1",
    overrideReason: null,
    approvedBy: null,
    approvedAt: null,
    createdAt: new Date("2026-11-23T09:00:00Z"),
    items,
    ...over,
  };
}

const actionIds = (blocks: any[]) =>
  blocks
    .flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])])
    .map((e: any) => e.action_id)
    .filter(Boolean);

describe("gate progress and refusals", () => {
  it("names every item that blocks the gate", () => {
    const items = [
      item("1.1", { state: "done", ownerId: "U1" }),
      item("1.2"),
      item("2.1", { state: "na", justification: "not relevant", ownerId: "U2" }),
      item("2.2", { ownerId: "U2", state: "done", measuredPassing: false, measuredText: "p99 250 ms fails < 200 ms" }),
      item("2.4", { ownerId: "U3" }),
      item("3.1", { ownerId: "U3" }),
    ];
    const p = gateProgress(items);
    expect(progressLine(p)).toBe("2/6 done, 1 N/A, 1 unowned, ❌ 1 failing measurement");
    expect(blockingProblems(p)).toEqual([
      "3 items not done: 1.2, 2.4, 3.1",
      "1 item without an owner: 1.2",
      "1 failing measurement: 2.2 (p99 250 ms fails < 200 ms)",
    ]);
  });

  it("does not count an N/A without a justification", () => {
    expect(gateProgress([item("1.1", { state: "na", justification: " " })]).notDone).toEqual(["1.1"]);
  });

  it("reads gate refs as G-12, g-12 or 12 and refuses the rest", () => {
    expect(parseGateRef("G-12")).toBe(12);
    expect(parseGateRef("g-12")).toBe(12);
    expect(parseGateRef("12")).toBe(12);
    expect(() => parseGateRef("G12x")).toThrow('"G12x" is not a gate id');
    expect(() => parseGateRef("")).toThrow("Name the gate");
  });
});

describe("gate message blocks", () => {
  it("uses two blocks per item with unique action ids when they fit", () => {
    const blocks = gateMessageBlocks(gate([item("1.1"), item("1.2", { ownerId: "U1" }), item("2.1")]), "UTC");
    const ids = actionIds(blocks);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("gate_item_owner:1.2");
    expect(ids).toContain("gate_item_na:2.1");
    expect(ids).toContain("gate_approve");
    const picker = blocks.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === "gate_item_owner:1.2");
    expect(picker.initial_user).toBe("U1");
  });

  it("switches to one section with an overflow per item when two blocks per item would pass 50", () => {
    const items = Array.from({ length: 40 }, (_, i) => item(`${Math.floor(i / 10) + 1}.${(i % 10) + 1}`));
    const blocks = gateMessageBlocks(gate(items), "UTC");
    expect(blocks.length).toBeLessThanOrEqual(50);
    const ids = actionIds(blocks);
    expect(ids.filter((id) => id.startsWith("gate_item_menu:"))).toHaveLength(40);
    expect(new Set(ids).size).toBe(ids.length);
    expect(blocks.at(-1)).toMatchObject({ type: "actions" });
  });

  it("caps very long gates and says where the rest is", () => {
    const items = Array.from({ length: 80 }, (_, i) => item(`${Math.floor(i / 10) + 1}.${(i % 10) + 1}`));
    const blocks = gateMessageBlocks(gate(items), "UTC");
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks)).toContain("/gate status G-7");
    expect(gateStatusBlocks(gate(items), "UTC").length).toBeLessThanOrEqual(50);
  });

  it("shows a failing measurement in red and an approved gate without controls", () => {
    const failing = item("1.1", {
      criterion: { metric: "latency_p99", name: "p99", op: "<", value: 200, unit: "ms", label: "p99 < 200 ms" },
      measuredPassing: false,
      measuredText: "p99 250 ms fails < 200 ms",
    });
    const text = JSON.stringify(gateMessageBlocks(gate([failing]), "UTC"));
    expect(text).toContain("❌ *p99 250 ms fails &lt; 200 ms*");
    expect(text).toContain("Failing measurements");
    const approved = gateMessageBlocks(
      gate([item("1.1", { state: "done", ownerId: "U1" })], {
        status: "approved",
        approvedBy: "U9",
        approvedAt: new Date("2026-11-24T10:00:00Z"),
      }),
      "UTC",
    );
    expect(actionIds(approved)).toEqual([]);
    expect(JSON.stringify(approved)).toContain("Approved by <@U9> 2026-11-24 10:00");
  });

  it("has a usage line for every subcommand in the help", () => {
    for (const usage of Object.values(GATE_USAGE)) expect(gateHelpText()).toContain(usage);
  });
});
