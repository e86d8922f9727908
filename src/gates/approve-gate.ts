import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeGate } from "./change-gate.js";
import { gateRef } from "./gate-ref.js";
import { blockingProblems, gateProgress } from "./progress.js";

/**
 * Passes a gate. Refused unless every item is done (or N/A with a justification), every item has an owner,
 * no measurement fails, and the approver owns none of its items (peer approval). Each refusal names the items.
 */
export async function approveGate(ctx: AppContext, gateId: number, actorId: string) {
  return changeGate(ctx, gateId, actorId, async (tx, gate, now) => {
    const ref = gateRef(gateId);
    const problems = blockingProblems(gateProgress(gate.items));
    if (problems.length > 0) throw new AppError("conflict", `${ref} cannot be approved yet: ${problems.join("; ")}.`);
    const owned = gate.items.filter((i) => i.ownerId === actorId).map((i) => i.number);
    if (owned.length > 0) {
      throw new AppError(
        "forbidden",
        `You own ${owned.length === 1 ? "item" : "items"} ${owned.join(", ")} of ${ref}: a gate is approved by someone who owns none of its items. Ask a peer to approve it.`,
      );
    }
    await tx.gate.update({ where: { id: gateId }, data: { status: "approved", approvedBy: actorId, approvedAt: now } });
    return { events: [{ kind: "gate.approved", data: { approvedBy: actorId } }] };
  });
}
