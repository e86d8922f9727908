import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import { QUEUES } from "../jobs/queue.js";
import { listOpenItems } from "./list-open-items.js";
import { recordGateEvent } from "./change-gate.js";

/** How often the chase looks for work; announcements themselves happen at most once a day per gate. */
export const CHASE_EVERY_SECONDS = 15 * 60;

/** Job payload of `gateChase` (its schema is in src/jobs/payloads.ts). */
export type GateChaseJob = JobData<"gateChase">;

/**
 * Once a day per open gate (in TIMEZONE): announce its unowned items in its channel, and DM each owner of
 * an open item the list of their open items across gates. The day is claimed with a conditional update of
 * Gate.lastChasedOn, so restarts and several processes never announce twice; the announcement and DMs are
 * queued (as facts, worded by src/slack/work/chase-gates.ts) in the claiming transaction, so a claimed day is
 * never lost either.
 */
export async function chaseGates(ctx: AppContext): Promise<{ announced: number[]; dms: string[] }> {
  const day = format(new TZDate(ctx.clock.now(), ctx.config.timezone), "yyyy-MM-dd");
  const notToday = { OR: [{ lastChasedOn: null }, { lastChasedOn: { not: day } }] };
  const gates = await ctx.prisma.gate.findMany({
    where: { status: "open", ...notToday },
    include: { items: true },
    orderBy: { id: "asc" },
  });
  const announced: number[] = [];
  const dmed = new Set<string>();
  for (const gate of gates) {
    const items = [...gate.items].sort((a, b) => a.position - b.position);
    const unowned = items.filter((i) => !i.ownerId);
    const owners = [...new Set(items.filter((i) => i.ownerId && i.state === "todo").map((i) => i.ownerId!))];
    if (unowned.length === 0 && owners.length === 0) continue;
    await ctx.prisma.$transaction(async (tx) => {
      const claim = await tx.gate.updateMany({ where: { id: gate.id, status: "open", ...notToday }, data: { lastChasedOn: day } });
      if (claim.count !== 1) return; // another process chased it today
      if (unowned.length > 0) {
        await ctx.jobs.sendInTx(tx, "gateChase", { kind: "unowned", gateId: gate.id, numbers: unowned.map((i) => i.number) });
        announced.push(gate.id);
      }
      const newOwners = owners.filter((o) => !dmed.has(o));
      for (const userId of newOwners) {
        await ctx.jobs.sendInTx(tx, "gateChase", { kind: "dm", userId, day });
        dmed.add(userId);
      }
      await recordGateEvent(
        tx,
        gate.id,
        { kind: "gate.chased", data: { day, unowned: unowned.map((i) => i.number), owners } },
        { actorId: null, at: ctx.clock.now() },
      );
    });
  }
  return { announced, dms: [...dmed] };
}

/** The owner's open gate items for their DM, read when the job runs so it lists what is still open then. */
export async function loadOwnerDigest(ctx: AppContext, userId: string) {
  return listOpenItems(ctx, userId, { includeIncidents: false });
}

/**
 * The gate and the items its announcement names, in gate order: the ones unowned when the day was claimed,
 * so the message says what it would have said then. Null when the gate was deleted meanwhile.
 */
export async function loadUnownedAnnouncement(ctx: AppContext, gateId: number, numbers: string[]) {
  const gate = await ctx.prisma.gate.findUnique({ where: { id: gateId }, include: { items: { orderBy: { position: "asc" } } } });
  if (!gate) return null;
  const named = new Set(numbers);
  return { gate, unowned: gate.items.filter((i) => named.has(i.number)) };
}

/**
 * Schedules the next chase tick. The singleton slot makes every process's start-up kick and every tick's
 * re-schedule collapse into about one chain, however many processes run or restart.
 */
export async function scheduleChaseTick(ctx: AppContext, startAfterSeconds?: number): Promise<void> {
  await ctx.jobs.boss.send(QUEUES.gateChase.name, { kind: "tick", chain: true } satisfies GateChaseJob, {
    singletonKey: "gate-chase-tick",
    singletonSeconds: CHASE_EVERY_SECONDS,
    ...(startAfterSeconds ? { startAfter: startAfterSeconds, singletonNextSlot: true } : {}),
  });
}

/** Job `gateChase` (tick): one chase, then the next tick when this one is part of the chain. */
export async function runChaseTick(ctx: AppContext, job: { chain?: boolean }): Promise<void> {
  try {
    await chaseGates(ctx);
  } finally {
    if (job.chain) await scheduleChaseTick(ctx, CHASE_EVERY_SECONDS);
  }
}
