import type { ChecklistStore } from "../checklist/change-checklist.js";
import { changeGate } from "./change-gate.js";
import { gateRef } from "./gate-ref.js";
import { gateUsageFor } from "./gate-usage.js";
import type { GateView } from "./gate-view.js";

/**
 * A gate's items for the checklist engine, over changeGate (which adds the gate's own rule: an approved gate is
 * frozen). The other gate rules (approval, peer approval, staged order) are gate use cases on top.
 */
export function gateChecklist(gateId: number): ChecklistStore<GateView> {
  const ref = gateRef(gateId);
  return {
    rules: {
      list: "gate",
      name: ref,
      where: `the gate message (\`/gate status ${ref}\`)`,
      closerOwns: false,
      // A refused change carries its `/gate` subcommand's usage (gate items are not reopened one by one).
      usage: (kind) => (kind === "reopen" ? undefined : gateUsageFor(kind)),
      recordHint: (n) => `\`/gate record ${ref} ${n} <value>\``,
      doneHint: (n) => `\`/gate done ${ref} ${n}\``,
    },
    async change(ctx, actorId, fn) {
      const { gate, result } = await changeGate(ctx, gateId, actorId, async (tx, g, now) => {
        const step = await fn(tx, g.items, now);
        return { events: step.applied.map((a) => a.event), result: step.result };
      });
      return { parent: gate, result: result! };
    },
    async save(tx, number, patch) {
      await tx.gateItem.update({ where: { gateId_number: { gateId, number } }, data: patch });
    },
  };
}
