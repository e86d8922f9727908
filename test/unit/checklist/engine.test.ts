import { describe, expect, it } from "vitest";
import { applyItemChange, type ChecklistRules, findItem } from "../../../src/checklist/change-checklist.js";
import { parseItemNumber } from "../../../src/checklist/numbering.js";
import {
  gateItemBlockId,
  gateItemValue,
  incidentItemBlockId,
  incidentItemValue,
  parseGateItemBlockId,
  parseGateItemValue,
  parseIncidentItemBlockId,
  parseIncidentItemValue,
} from "../../../src/chat/item-values.js";
import { AppError } from "../../../src/errors.js";
import { checklistItem } from "../../helpers/items.js";

const now = new Date("2026-12-03T08:00:00Z");
const incidentRules: ChecklistRules = {
  list: "playbook",
  name: "INC-7's playbook",
  where: "the pinned playbook",
  closerOwns: true,
  usage: () => "Usage: `/incident done <item>`",
};
const gateRules: ChecklistRules = { ...incidentRules, list: "gate", name: "G-3", where: "the gate message", closerOwns: false };
const p99 = { metric: "latency_p99", name: "p99", op: "<" as const, value: 200, unit: "ms" as const, label: "p99 < 200 ms" };

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message, usage: e.usage };
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("the checklist engine's item rules (one set for playbook, runbook and gate items)", () => {
  it("closing an unowned item makes the closer its owner on incident lists, not on gates", () => {
    const item = checklistItem({ number: "1.1" });
    expect(applyItemChange(item, { kind: "done" }, "UALEX", now, incidentRules)).toMatchObject({
      patch: { state: "done", completedBy: "UALEX", completedAt: now, ownerId: "UALEX" },
      event: { kind: "item.completed", data: { list: "playbook", number: "1.1", previous: "todo" } },
      text: "1.1 Item 1.1: done",
    });
    const gate = applyItemChange(item, { kind: "done" }, "UALEX", now, gateRules)!;
    expect(gate.patch).not.toHaveProperty("ownerId");
    expect(gate.event).toEqual({ kind: "item.completed", data: { list: "gate", number: "1.1", previous: "todo" } });
  });

  it("a change that is there already changes nothing (no event)", () => {
    expect(applyItemChange(checklistItem({ number: "1.1", state: "done" }), { kind: "done" }, "U1", now, incidentRules)).toBeNull();
    expect(applyItemChange(checklistItem({ number: "1.1" }), { kind: "reopen" }, "U1", now, incidentRules)).toBeNull();
    expect(
      applyItemChange(checklistItem({ number: "1.1", ownerId: "U1" }), { kind: "owner", ownerId: "U1" }, "U2", now, gateRules),
    ).toBeNull();
    const na = checklistItem({ number: "1.1", state: "na", justification: "no PII here" });
    expect(applyItemChange(na, { kind: "na", justification: "no PII here" }, "U1", now, gateRules)).toBeNull();
    expect(applyItemChange(na, { kind: "na", justification: "other reason" }, "U1", now, gateRules)?.event).toEqual({
      kind: "item.marked_na",
      data: { list: "gate", number: "1.1", justification: "other reason", previous: "na" },
    });
  });

  it("a measured item is done only with a passing value; a failing value sends a done item back to todo", () => {
    const measured = checklistItem({ number: "2.1", criterion: p99 });
    expect(refusal(() => applyItemChange(measured, { kind: "done" }, "U1", now, gateRules))).toMatchObject({
      code: "conflict",
      message: expect.stringContaining("no value has been recorded yet"),
    });
    const failing = applyItemChange(
      { ...measured, state: "done", measuredPassing: true },
      { kind: "record", input: "250ms" },
      "U1",
      now,
      gateRules,
    )!;
    expect(failing.patch).toMatchObject({ measuredValue: 250, measuredPassing: false, state: "todo", completedBy: null });
    expect(failing.event).toMatchObject({ kind: "item.measured", data: { list: "gate", number: "2.1", passing: false, reopened: true } });
    const passing = applyItemChange(measured, { kind: "record", input: "0.18 s" }, "U1", now, gateRules)!;
    expect(passing.patch).toMatchObject({ measuredValue: 180, measuredPassing: true });
    expect(passing.patch).not.toHaveProperty("state");
    expect(refusal(() => applyItemChange(measured, { kind: "record", input: "fast" }, "U1", now, gateRules)).code).toBe("invalid");
    expect(
      refusal(() => applyItemChange(checklistItem({ number: "1.1" }), { kind: "record", input: "1" }, "U1", now, gateRules)).code,
    ).toBe("invalid");
  });

  it("finds an item by number or key, and a wrong one is named with the list's numbers and the usage", () => {
    const items = [
      checklistItem({ number: "1.1", key: "page-oncall" }),
      checklistItem({ number: "1.2" }),
      checklistItem({ number: "2.1" }),
    ];
    expect(findItem(items, " 1.2 ", incidentRules).number).toBe("1.2");
    expect(findItem(items, "Page-Oncall", incidentRules).number).toBe("1.1");
    expect(refusal(() => findItem(items, "9.9", incidentRules, "Usage: x"))).toEqual({
      code: "not_found",
      message: `INC-7's playbook has no item "9.9"; its items are numbered 1.1 to 2.1 as in the pinned playbook.`,
      usage: "Usage: x",
    });
    expect(refusal(() => findItem(items, "  ", gateRules)).code).toBe("usage");
    // A hostile reference is cut short in the answer.
    expect(refusal(() => findItem(items, "x".repeat(5000), gateRules)).message.length).toBeLessThan(200);
  });
});

describe("the one item-number parser and the controls' values", () => {
  it("accepts `<section>.<n>` counted from 1, at most three digits a part", () => {
    for (const ok of ["1.1", "3.12", "999.999", " 2.3 "]) expect(parseItemNumber(ok)).toBe(ok.trim());
    for (const bad of ["", "0.1", "1.0", "1", "1.", ".1", "1.2.3", "1000.1", "1,2", "a.b", "1.1x", undefined]) {
      expect(parseItemNumber(bad)).toBeNull();
    }
  });

  it("reads back exactly what blocks/ writes, and nothing else", () => {
    expect(parseIncidentItemValue(incidentItemValue(7, "runbook:latency-spike", "2.10"))).toEqual({
      incidentId: 7,
      list: "runbook:latency-spike",
      number: "2.10",
    });
    expect(parseIncidentItemBlockId(incidentItemBlockId("playbook", "3.1"))).toEqual({ list: "playbook", number: "3.1" });
    expect(parseIncidentItemBlockId(`${incidentItemBlockId("playbook", "3.1")}|text`)).toEqual({ list: "playbook", number: "3.1" });
    expect(parseGateItemValue(gateItemValue(12, "4.2"))).toEqual({ gateId: 12, number: "4.2" });
    expect(parseGateItemBlockId(gateItemBlockId(12, "4.2"))).toEqual({ gateId: 12, number: "4.2" });
    for (const bad of [
      "",
      "7|playbook",
      "7|playbook|0.1",
      "x|playbook|1.1",
      "7|play book|1.1",
      `7|${"a".repeat(200)}|1.1`,
      "1".repeat(20) + "|p|1.1",
    ]) {
      expect(parseIncidentItemValue(bad)).toBeNull();
    }
    for (const bad of ["12|4", "12|4.2|x", "gate|12|4.2", "-1|1.1"]) expect(parseGateItemValue(bad)).toBeNull();
    expect(parseGateItemBlockId("item|playbook|1.1")).toBeNull();
    expect(parseIncidentItemBlockId("gate|12|1.1")).toBeNull();
  });
});
