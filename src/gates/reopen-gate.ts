import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { gateUsageFor } from "./gate-usage.js";
import { changeGate } from "./change-gate.js";
import { gateRef } from "./gate-ref.js";

export const REOPEN_USAGE = gateUsageFor("reopen");

/** Unfreezes an approved gate so it can change again; the reason stays in its history. */
export async function reopenGate(ctx: AppContext, gateId: number, actorId: string, reason: string) {
  const why = reason.trim();
  if (why.length < 3) throw new AppError("usage", "Reopening needs a reason: what has to change on the approved gate.", REOPEN_USAGE);
  return changeGate(
    ctx,
    gateId,
    actorId,
    async (tx, gate) => {
      if (gate.status !== "approved") throw new AppError("conflict", `${gateRef(gateId)} is not approved, so it is open already.`);
      await tx.gate.update({ where: { id: gateId }, data: { status: "open", approvedBy: null, approvedAt: null } });
      return { events: [{ kind: "gate.reopened", data: { reason: why, previousApprover: gate.approvedBy } }] };
    },
    { allowApproved: true },
  );
}
