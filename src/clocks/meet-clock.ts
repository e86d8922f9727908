import type { Prisma } from "../db.js";
import { recordEvent } from "../timeline/record-event.js";
import { type ClockKind, clockMetText } from "./kinds.js";

type Tx = Prisma.TransactionClient;

/** Marks a running clock as met (once). A clock met after its deadline is recorded as late. */
export async function meetClock(tx: Tx, incidentId: number, kind: ClockKind, at: Date, actorId: string | null) {
  const clock = await tx.clock.findUnique({ where: { incidentId_kind: { incidentId, kind } } });
  if (!clock || clock.metAt || clock.stoppedAt) return;
  await tx.clock.update({ where: { id: clock.id }, data: { metAt: at } });
  await recordEvent(
    tx,
    incidentId,
    { kind: "clock.met", data: { clock: kind, late: at > clock.dueAt } },
    { at, actorId, text: clockMetText(kind, clock, at) },
  );
}

/** Stops clocks without meeting them (resolution stops all but the leadership summary; user-facing off stops the status page). */
export async function stopClocks(tx: Tx, incidentId: number, kinds: ClockKind[], at: Date) {
  await tx.clock.updateMany({
    where: { incidentId, kind: { in: kinds }, metAt: null, stoppedAt: null },
    data: { stoppedAt: at },
  });
}
