import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { changeIncident } from "../incidents/change-incident.js";
import { completeItem } from "../incidents/checklist-items.js";
import { setStatus } from "../incidents/set-status.js";
import { readHealthVersion, RegistryError } from "./mlflow.js";
import { registryFor } from "./registry.js";

/** Playbook items a verified rollback did: the registry pointer (after the move) and the health check (after verify). */
const MOVE_ITEMS = ["rollback-model"];
const VERIFY_ITEMS = ["verify-health", "if-model"];
/** How long one job run polls before it hands over to a fresh job (pg-boss expires a job after 120 s). */
const SLICE_MS = 45_000;

export class RollbackBusy extends Error {}

/**
 * The rollback job. Idempotent by state: confirmed → (claim) moving → moved → verified | failed. Before moving
 * it always reads the alias, so a run after a crash never moves it twice; a run in `moved` only polls /health.
 */
export async function runRollback(ctx: AppContext, rollbackId: number): Promise<void> {
  // One statement before the registry on the common path: claim the move (confirmed, or a crashed worker's claim
  // older than ROLLBACK_CLAIM_SECONDS) and read the row in the same UPDATE … RETURNING.
  const stale = new Date(ctx.clock.now().getTime() - ctx.config.rollbackClaimSeconds * 1000);
  const [claimed] = await ctx.prisma.rollback.updateManyAndReturn({
    where: { id: rollbackId, OR: [{ state: "confirmed" }, { state: "moving", updatedAt: { lt: stale } }] },
    data: { state: "moving" },
  });
  let r = claimed ?? (await ctx.prisma.rollback.findUnique({ where: { id: rollbackId } }));
  if (!r || !["confirmed", "moving", "moved"].includes(r.state)) return;
  if (!claimed && r.state !== "moved") throw new RollbackBusy(`rollback ${rollbackId} is being moved by another worker`);
  // The catalog entry from the rollback's own registry model and alias: no incident read before the move.
  const row = r;
  const m = ctx.config.models.find((x) => x.registryModel === row.model && x.alias === row.alias);
  const actor = r.confirmedBy ?? r.requestedBy;
  if (!m) return fail(ctx, rollbackId, r.incidentId, actor, "move", `model ${r.model} (alias ${r.alias}) is no longer in MODELS_FILE`);
  const registry = registryFor(ctx);

  if (claimed) {
    let moved: boolean;
    let movedAt: Date; // when the registry answered: the alias moved then, however long the record below waits
    try {
      const now = (await registry.getAlias(r.model, r.alias))?.version ?? null;
      if (now === r.toVersion)
        moved = false; // a run before a crash (or someone else) already moved it
      else if (now !== r.fromVersion) {
        return fail(
          ctx,
          rollbackId,
          r.incidentId,
          actor,
          "move",
          `alias ${r.alias} now points to ${now ?? "nothing"}, not ${r.fromVersion}; not moved`,
        );
      } else {
        await registry.setAlias(r.model, r.alias, r.toVersion);
        moved = true;
      }
      movedAt = ctx.clock.now();
    } catch (e) {
      return fail(ctx, rollbackId, r.incidentId, actor, "move", e instanceof RegistryError ? e.plain : (e as Error).message);
    }
    await changeIncident(ctx, r.incidentId, actor, async (tx) => {
      await tx.rollback.update({ where: { id: rollbackId }, data: { state: "moved", movedAt } });
      await tx.modelAliasMove.create({
        data: { model: r!.model, alias: r!.alias, fromVersion: r!.fromVersion, toVersion: r!.toVersion, source: "rollback", at: movedAt },
      });
      await ctx.jobs.sendInTx(tx, "rollbackNotice", { rollbackId, stage: "moved" });
      return {
        events: [
          {
            event: {
              kind: "model.alias_moved",
              data: {
                rollbackId,
                model: r!.model,
                alias: r!.alias,
                from: r!.fromVersion,
                to: r!.toVersion,
                via: moved ? "bot" : "found moved",
              },
            },
            text: `Alias ${r!.alias} of ${r!.model} moved ${r!.fromVersion} → ${r!.toVersion}`,
          },
        ],
      };
    });
    await completeItems(ctx, r.incidentId, actor, MOVE_ITEMS);
    r = await ctx.prisma.rollback.findUniqueOrThrow({ where: { id: rollbackId } });
  }

  const deadline = r.movedAt!.getTime() + ctx.config.rollbackVerifySeconds * 1000;
  const sliceEnd = Date.now() + SLICE_MS;
  let last: string;
  for (;;) {
    const h = await readHealthVersion(m.healthUrl, m.healthVersionField);
    if ("version" in h && h.version === r.toVersion) return verified(ctx, rollbackId, actor);
    last = "version" in h ? `reports ${h.version}` : h.error;
    const now = ctx.clock.now().getTime();
    if (now >= deadline) {
      return fail(
        ctx,
        rollbackId,
        r.incidentId,
        actor,
        "verify",
        `${m.healthUrl} still ${last} after ${ctx.config.rollbackVerifySeconds} s, not ${r.toVersion}`,
      );
    }
    if (Date.now() >= sliceEnd) {
      await ctx.jobs.send("rollback", { rollbackId }); // hand over to a fresh job before this one expires
      return;
    }
    await new Promise((res) => setTimeout(res, Math.min(ctx.config.rollbackPollMs, Math.max(0, deadline - now))));
  }
}

async function verified(ctx: AppContext, rollbackId: number, actor: string): Promise<void> {
  const r = await ctx.prisma.rollback.findUniqueOrThrow({ where: { id: rollbackId } });
  const { result } = await changeIncident(ctx, r.incidentId, actor, async (tx, _inc, at) => {
    const won = await tx.rollback.updateMany({ where: { id: rollbackId, state: "moved" }, data: { state: "verified", verifiedAt: at } });
    if (!won.count) return { result: false };
    await ctx.jobs.sendInTx(tx, "rollbackNotice", { rollbackId, stage: "verified" });
    const seconds = Math.round((at.getTime() - (r.movedAt?.getTime() ?? at.getTime())) / 1000);
    return {
      result: true,
      events: [
        {
          event: { kind: "model.health_verified", data: { rollbackId, version: r.toVersion, seconds } },
          text: `/health reports ${r.toVersion}: rollback verified`,
        },
      ],
    };
  });
  if (!result) return;
  await completeItems(ctx, r.incidentId, actor, VERIFY_ITEMS);
  const inc = await ctx.prisma.incident.findUniqueOrThrow({ where: { id: r.incidentId } });
  if (inc.status === "investigating" || inc.status === "identified") await setStatus(ctx, r.incidentId, actor, "mitigated");
}

async function fail(
  ctx: AppContext,
  rollbackId: number,
  incidentId: number,
  actor: string,
  step: "move" | "verify",
  error: string,
): Promise<void> {
  await changeIncident(ctx, incidentId, actor, async (tx) => {
    const won = await tx.rollback.updateMany({
      where: { id: rollbackId, state: { in: ["confirmed", "moving", "moved"] } },
      data: { state: "failed", error },
    });
    if (!won.count) return {};
    await ctx.jobs.sendInTx(tx, "rollbackNotice", { rollbackId, stage: "failed" });
    return {
      events: [
        { event: { kind: "model.rollback_failed", data: { rollbackId, step, error } }, text: `Rollback failed (${step}): ${error}` },
      ],
    };
  });
}

async function completeItems(ctx: AppContext, incidentId: number, actor: string, keys: string[]): Promise<void> {
  const items = await ctx.prisma.checklistItem.findMany({ where: { incidentId, list: "playbook", key: { in: keys }, state: "todo" } });
  for (const item of items) await completeItem(ctx, incidentId, actor, item.number);
}

/** Start-up: rollbacks a stopped process left half-way get their job again (the job's state checks make a duplicate harmless). */
export async function resumeRollbacks(ctx: AppContext): Promise<void> {
  const open = await ctx.prisma.rollback.findMany({ where: { state: { in: ["confirmed", "moving", "moved"] } }, select: { id: true } });
  for (const r of open) await ctx.jobs.send("rollback", { rollbackId: r.id });
}

export type RollbackRow = Prisma.RollbackGetPayload<object>;
