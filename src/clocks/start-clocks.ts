import type { Config } from "../config.js";
import type { Prisma } from "../db.js";
import type { JobQueue } from "../jobs/queue.js";
import { cadenceSeconds } from "./cadence.js";
import { type ClockKind, targetSeconds } from "./kinds.js";

type Tx = Prisma.TransactionClient;

/**
 * Creates the incident's clocks from its detection time (the alert's startsAt, else the declaration) and
 * schedules one wake-up per deadline. The status-page clock starts only when the incident is user-facing.
 */
export async function startIncidentClocks(
  tx: Tx,
  jobs: JobQueue,
  config: Config,
  incident: { id: number; detectedAt: Date; userFacing: boolean; severity?: string },
  now: Date,
): Promise<void> {
  const kinds: ClockKind[] = ["ack", "mitigate", "product_update", "leadership_summary"];
  if (incident.userFacing) kinds.push("status_page");
  for (const kind of kinds) {
    const start = kind === "status_page" ? now : incident.detectedAt;
    await startClock(tx, jobs, config, incident.id, kind, start);
  }
  // The automatic stakeholder-update cadence (P1/P2) counts from the declaration.
  const every = incident.severity ? cadenceSeconds(config, incident.severity) : null;
  if (every !== null) {
    const dueAt = new Date(now.getTime() + every * 1000);
    await tx.clock.upsert({
      where: { incidentId_kind: { incidentId: incident.id, kind: "cadence" } },
      create: { incidentId: incident.id, kind: "cadence", targetSeconds: every, startedAt: now, dueAt },
      update: {},
    });
    await jobs.sendInTx(tx, "clockWake", { incidentId: incident.id }, { startAfter: dueAt });
  }
}

export async function startClock(
  tx: Tx,
  jobs: JobQueue,
  config: Config,
  incidentId: number,
  kind: ClockKind,
  startedAt: Date,
): Promise<void> {
  const target = targetSeconds(config, kind);
  const dueAt = new Date(startedAt.getTime() + target * 1000);
  await tx.clock.upsert({
    where: { incidentId_kind: { incidentId, kind } },
    create: { incidentId, kind, targetSeconds: target, startedAt, dueAt },
    update: {
      targetSeconds: target,
      startedAt,
      dueAt,
      metAt: null,
      stoppedAt: null,
      nudgedAt: null,
      escalatedAt: null,
      breached: false,
    },
  });
  // Wake at the deadline and at twice the target (escalation); the evaluator decides what is due.
  const escalateAt = new Date(startedAt.getTime() + 2 * target * 1000);
  await jobs.sendInTx(tx, "clockWake", { incidentId }, { startAfter: dueAt });
  await jobs.sendInTx(tx, "clockWake", { incidentId }, { startAfter: escalateAt });
  if (kind === "product_update") {
    // The drafted update is offered to the comms owner a little before the deadline.
    const offerAt = new Date(startedAt.getTime() + Math.floor((target * 2000) / 3));
    await jobs.sendInTx(tx, "clockWake", { incidentId }, { startAfter: offerAt });
  }
}
