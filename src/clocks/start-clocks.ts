import type { Config } from "../config.js";
import type { Prisma } from "../db.js";
import type { JobQueue } from "../jobs/queue.js";
import { cadenceSeconds } from "./cadence.js";
import { type ClockKind, targetSeconds } from "./kinds.js";

type Tx = Prisma.TransactionClient;

/**
 * One pending wake-up of the evaluator per incident and moment: the evaluator, once woken, schedules the
 * next one (see clocks/area.ts), so an incident never has more than a couple of wake jobs queued.
 */
export async function scheduleWake(tx: Tx, jobs: JobQueue, incidentId: number, at: Date): Promise<void> {
  await jobs.sendInTx(tx, "clockWake", { incidentId }, { startAfter: at, singletonKey: `wake-${incidentId}-${at.getTime()}` });
}

/**
 * Creates the incident's clocks from its detection time (the alert's startsAt, else the declaration) and
 * schedules a wake-up at the earliest deadline. The status-page clock starts only when the incident is
 * user-facing.
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
  const clocks = kinds.map((kind) => clockRow(config, incident.id, kind, kind === "status_page" ? now : incident.detectedAt));
  const wakes = clocks.map((c) => firstWakeOf(c.kind, c.startedAt, c.targetSeconds));
  // The automatic stakeholder-update cadence (P1/P2) counts from the declaration.
  const every = incident.severity ? cadenceSeconds(config, incident.severity) : null;
  if (every !== null) {
    const dueAt = new Date(now.getTime() + every * 1000);
    clocks.push({ incidentId: incident.id, kind: "cadence", targetSeconds: every, startedAt: now, dueAt });
    wakes.push(dueAt);
  }
  // A new incident has no clocks yet: one statement for all of them (clocks that exist are left as they are).
  await tx.clock.createMany({ data: clocks, skipDuplicates: true });
  await scheduleWake(tx, jobs, incident.id, new Date(Math.min(...wakes.map((d) => d.getTime()))));
}

/** A clock of `kind` started at `startedAt`, with its configured target and deadline. */
function clockRow(config: Config, incidentId: number, kind: ClockKind, startedAt: Date) {
  const target = targetSeconds(config, kind);
  return { incidentId, kind: kind as string, targetSeconds: target, startedAt, dueAt: new Date(startedAt.getTime() + target * 1000) };
}

/**
 * The first moment a clock is owed something: its deadline, or (product update) the drafted update offered at
 * 2/3 of the target. The evaluator decides what is due and schedules the next wake.
 */
function firstWakeOf(kind: string, startedAt: Date, target: number): Date {
  return kind === "product_update"
    ? new Date(startedAt.getTime() + Math.floor((target * 2000) / 3))
    : new Date(startedAt.getTime() + target * 1000);
}

export async function startClock(
  tx: Tx,
  jobs: JobQueue,
  config: Config,
  incidentId: number,
  kind: ClockKind,
  startedAt: Date,
  opts: { wake?: boolean } = {},
): Promise<Date> {
  const row = clockRow(config, incidentId, kind, startedAt);
  const { targetSeconds: target, dueAt } = row;
  await tx.clock.upsert({
    where: { incidentId_kind: { incidentId, kind } },
    create: row,
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
  const firstWake = firstWakeOf(kind, startedAt, target);
  if (opts.wake !== false) await scheduleWake(tx, jobs, incidentId, firstWake);
  return firstWake;
}
