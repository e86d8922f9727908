import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { incidentRef } from "../incidents/naming.js";
import { recordEvent } from "../timeline/record-event.js";
import type { ModelEntry } from "./catalog.js";
import { RegistryError } from "./mlflow.js";
import { modelByName, registryFor } from "./registry.js";

export const ROLLBACK_USAGE = "`/incident rollback [to <version>]` — move the model's alias back (you confirm first), then verify /health";
const usage = (message: string) => new AppError("usage", message, ROLLBACK_USAGE);

/** What the confirmation shows (blocks/rollback.ts renders it). */
export interface RollbackProposal {
  rollbackId: number;
  incidentId: number;
  model: string;
  alias: string;
  from: string;
  to: string;
  /** why this target: "asked for", "the version before, as the bot saw it", "newest READY version below" */
  reason: string;
}

function plain(e: unknown): string {
  return e instanceof RegistryError ? e.plain : (e as Error).message;
}

export function incidentModel(ctx: AppContext, inc: { id: number; modelName: string | null }): ModelEntry {
  const m = modelByName(ctx, inc.modelName);
  if (!m) {
    throw usage(`${incidentRef(inc.id)} is not about a catalog model, so there is nothing to roll back. Declare with \`--model <name>\`.`);
  }
  return m;
}

/** `/incident rollback [to <version>]`: reads the alias, picks the target and records a proposal to confirm. */
export async function proposeRollback(ctx: AppContext, incidentId: number, actorId: string, args: string): Promise<RollbackProposal> {
  const a = args.trim();
  const asked = /^(?:to\s+)?v?(\d+)$/i.exec(a);
  if (a && !asked) throw usage(`"${a}" is not a version; give a version number, e.g. \`/incident rollback to 6\`.`);
  const inc = await ctx.prisma.incident.findUniqueOrThrow({ where: { id: incidentId } });
  if (inc.status === "resolved") throw usage(`${incidentRef(incidentId)} is resolved; reopen it before rolling back.`);
  const m = incidentModel(ctx, inc);
  const registry = registryFor(ctx);
  let current: string | null;
  try {
    current = (await registry.getAlias(m.registryModel, m.alias))?.version ?? null;
  } catch (e) {
    throw new AppError("conflict", `Could not read alias \`${m.alias}\` of ${m.registryModel}: ${plain(e)}. Try again in a moment.`);
  }
  if (!current) throw usage(`Alias \`${m.alias}\` of ${m.registryModel} is not set in the registry; there is nothing to roll back from.`);
  let to: string | undefined;
  let reason: string;
  try {
    if (asked) {
      to = asked[1]!;
      const v = await registry.getVersion(m.registryModel, to);
      if (!v) throw usage(`${m.registryModel} has no version ${to} in the registry.`);
      if (v.status && v.status !== "READY") throw usage(`Version ${to} of ${m.registryModel} is ${v.status}, not READY.`);
      reason = "asked for";
    } else {
      const seen = await ctx.prisma.modelAliasMove.findFirst({
        where: { model: m.registryModel, alias: m.alias, toVersion: current, fromVersion: { not: null } },
        orderBy: { at: "desc" },
      });
      if (seen?.fromVersion && seen.fromVersion !== current) {
        to = seen.fromVersion;
        reason = "the version the alias pointed to before, as the bot saw it";
      } else {
        const below = (await registry.searchVersions(m.registryModel))
          .filter((v) => (v.status ?? "READY") === "READY" && Number(v.version) < Number(current))
          .sort((x, y) => Number(y.version) - Number(x.version));
        if (!below.length)
          throw usage(`${m.registryModel} has no READY version below ${current}; name one with \`rollback to <version>\`.`);
        to = below[0]!.version;
        reason = "the newest READY version below the current one";
      }
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("conflict", `Could not read versions of ${m.registryModel}: ${plain(e)}. Try again in a moment.`);
  }
  if (to === current) throw usage(`Alias \`${m.alias}\` already points to version ${current}.`);
  const { result } = await changeIncident(ctx, incidentId, actorId, async (tx) => {
    const r = await tx.rollback.create({
      data: { incidentId, model: m.registryModel, alias: m.alias, fromVersion: current, toVersion: to, requestedBy: actorId },
    });
    return {
      result: r.id,
      events: [
        {
          event: {
            kind: "model.rollback_requested",
            data: { rollbackId: r.id, model: m.registryModel, alias: m.alias, from: current, to: to! },
          },
          text: `Rollback requested: ${m.registryModel} alias ${m.alias} ${current} → ${to}`,
        },
      ],
    };
  });
  return { rollbackId: result!, incidentId, model: m.registryModel, alias: m.alias, from: current, to: to!, reason };
}

/**
 * *Roll back* (and *Retry*): the state change from proposed/failed to confirmed is the lock, so two clicks at
 * once start one job. Returns false when someone else's click already started it.
 */
export async function confirmRollback(ctx: AppContext, rollbackId: number, actorId: string): Promise<{ started: boolean; state: string }> {
  const at = ctx.clock.now();
  // Three statements, not changeIncident's lock and re-render: the click is on the path to the alias move, the
  // incident itself does not change, and the conditional UPDATE on the rollback row is what serialises clicks.
  const won = await ctx.prisma.$transaction(
    async (tx) => {
      const [r] = await tx.rollback.updateManyAndReturn({
        where: { id: rollbackId, state: { in: ["proposed", "failed"] } },
        data: { state: "confirmed", confirmedBy: actorId, error: null },
      });
      if (!r) return null;
      await ctx.jobs.sendInTx(tx, "rollback", { rollbackId });
      await recordEvent(
        tx,
        r.incidentId,
        { kind: "model.rollback_confirmed", data: { rollbackId } },
        { at, actorId, text: `Rollback ${r.fromVersion} → ${r.toVersion} confirmed` },
      );
      return r;
    },
    { timeout: 15_000 },
  );
  if (won) {
    ctx.jobs.wake("rollback"); // committed: a worker here starts it now rather than at its next poll
    return { started: true, state: "confirmed" };
  }
  const now = await ctx.prisma.rollback.findUnique({ where: { id: rollbackId } });
  if (!now) throw new AppError("not_found", "That rollback no longer exists.");
  return { started: false, state: now.state };
}

export async function cancelRollback(ctx: AppContext, rollbackId: number, actorId: string): Promise<boolean> {
  const r = await ctx.prisma.rollback.findUnique({ where: { id: rollbackId } });
  if (!r) return false;
  const { result } = await changeIncident(ctx, r.incidentId, actorId, async (tx) => {
    const won = await tx.rollback.updateMany({
      where: { id: rollbackId, state: { in: ["proposed", "failed"] } },
      data: { state: "cancelled" },
    });
    if (!won.count) return { result: false };
    return { result: true, events: [{ event: { kind: "model.rollback_cancelled", data: { rollbackId } }, text: "Rollback cancelled" }] };
  });
  return Boolean(result);
}
