import { z } from "zod";
import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import { recordGateEvent } from "../gates/change-gate.js";
import { incidentRef } from "../incidents/naming.js";
import { recordEvent } from "../timeline/record-event.js";
import { findModelGates } from "./model-gates.js";
import { forgetAlias } from "./registry.js";

const name = z.string().min(1);
const version = z.union([z.string().min(1), z.number().int().transform(String)]);

/** The registry events MLflow 3.3+ sends (`entity` + `action`), each with the `data` fields we use. */
const KNOWN = {
  "model_version_alias.created": z.object({ name, alias: name, version }),
  "model_version_alias.deleted": z.object({ name, alias: name, version: version.optional() }),
  "model_version.created": z.object({ name, version }),
  "model_version_tag.set": z.object({ name, version, key: z.string(), value: z.string().optional() }),
  "model_version_tag.deleted": z.object({ name, version, key: z.string() }),
  "registered_model.created": z.object({ name }),
} as const;
export type RegistryEventKind = keyof typeof KNOWN;

export const RegistryDeliverySchema = z.object({
  entity: z.string().min(1),
  action: z.string().min(1),
  timestamp: z.string().optional(),
  data: z.record(z.string(), z.unknown()),
});

export type RegistryEvent =
  | { kind: "model_version_alias.created"; data: { name: string; alias: string; version: string } }
  | { kind: "model_version_alias.deleted"; data: { name: string; alias: string; version?: string } }
  | { kind: "model_version.created"; data: { name: string; version: string } }
  | { kind: "model_version_tag.set"; data: { name: string; version: string; key: string; value?: string } }
  | { kind: "model_version_tag.deleted"; data: { name: string; version: string; key: string } }
  | { kind: "registered_model.created"; data: { name: string } }
  | { kind: "unknown"; entity: string; action: string };

/** Parses a delivery's JSON body: a known event, an event this code does not know (answered 200, ignored), or why not. */
export function parseRegistryEvent(body: unknown): { ok: true; event: RegistryEvent } | { ok: false; error: string } {
  const envelope = RegistryDeliverySchema.safeParse(body);
  if (!envelope.success) return { ok: false, error: "body must be {entity, action, timestamp, data} as MLflow sends it" };
  const kind = `${envelope.data.entity}.${envelope.data.action}`;
  const schema = (KNOWN as Record<string, z.ZodType>)[kind];
  if (!schema) return { ok: true, event: { kind: "unknown", entity: envelope.data.entity, action: envelope.data.action } };
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) {
    const issue = data.error.issues[0]!;
    return { ok: false, error: `${kind}: data.${issue.path.join(".") || "(data)"}: ${issue.message}` };
  }
  return { ok: true, event: { kind, data: data.data } as RegistryEvent };
}

export interface RegistryEventOutcome {
  duplicate: boolean;
  /** what it did, for the sender and the log */
  handled: string;
  incidents: number[];
  gates: number[];
}

/** A rollback of ours in flight (or just done) to this version: the webhook is the registry telling us our own move. */
const OWN_MOVE_WINDOW_MS = 10 * 60_000;

/**
 * One registry delivery, once: the delivery id is stored in the same transaction as what it changes, so a retry or
 * another replica finds it and does nothing again. An alias moved outside the bot is recorded (the rollback's
 * default target comes from these), told on the timeline and in the channel of every open incident about that
 * model; gates whose subject names the model and version record the event.
 */
export async function receiveRegistryEvent(ctx: AppContext, deliveryId: string, event: RegistryEvent): Promise<RegistryEventOutcome> {
  const now = ctx.clock.now();
  let outcome: RegistryEventOutcome;
  try {
    outcome = await ctx.prisma.$transaction(
      async (tx) => {
        await tx.webhookDelivery.create({ data: { id: deliveryId, source: "mlflow", receivedAt: now } });
        if (event.kind === "unknown")
          return { duplicate: false, handled: `ignored ${event.entity}.${event.action}`, incidents: [], gates: [] };
        if (event.kind === "model_version_alias.created" || event.kind === "model_version_alias.deleted") {
          return aliasMoved(
            ctx,
            tx,
            event.data.name,
            event.data.alias,
            event.kind === "model_version_alias.created" ? event.data.version : null,
            now,
          );
        }
        if (event.kind === "registered_model.created")
          return { duplicate: false, handled: "registered model noted", incidents: [], gates: [] };
        const gates = await recordOnGates(tx, event.data.name, [event.data.version], event.kind, now, {});
        return { duplicate: false, handled: event.kind, incidents: [], gates };
      },
      { timeout: 15_000 },
    );
  } catch (e) {
    // The delivery id is the primary key: a second delivery (MLflow's retry, or the same one at another replica) lands here.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      return { duplicate: true, handled: "already received", incidents: [], gates: [] };
    }
    throw e;
  }
  if (event.kind !== "unknown" && event.kind !== "registered_model.created") {
    forgetAlias(ctx, event.data.name, "alias" in event.data ? event.data.alias : undefined); // listings read the registry again
  }
  return outcome;
}

type Tx = Prisma.TransactionClient;

async function aliasMoved(
  ctx: AppContext,
  tx: Tx,
  model: string,
  alias: string,
  to: string | null,
  now: Date,
): Promise<RegistryEventOutcome> {
  const last = await tx.modelAliasMove.findFirst({ where: { model, alias }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  const from = last?.toVersion ?? null;
  // Our own rollback: it records the move itself (the webhook may even arrive before its job has written it).
  const own = to
    ? await tx.rollback.findFirst({
        where: {
          model,
          alias,
          toVersion: to,
          OR: [{ state: { in: ["confirmed", "moving", "moved"] } }, { movedAt: { gte: new Date(now.getTime() - OWN_MOVE_WINDOW_MS) } }],
        },
      })
    : null;
  if (own) return { duplicate: false, handled: `our own rollback ${own.id}`, incidents: [], gates: [] };
  if (last && from === to) return { duplicate: false, handled: "alias already known to point there", incidents: [], gates: [] };
  const move = await tx.modelAliasMove.create({ data: { model, alias, fromVersion: from, toVersion: to, source: "webhook", at: now } });
  const names = ctx.config.models.filter((m) => m.registryModel === model && m.alias === alias).map((m) => m.name);
  const open = names.length
    ? await tx.incident.findMany({ where: { modelName: { in: names }, status: { not: "resolved" } }, select: { id: true } })
    : [];
  for (const inc of open) {
    await recordEvent(
      tx,
      inc.id,
      { kind: "model.alias_moved", data: { rollbackId: null, model, alias, from, to, via: "registry" } },
      {
        at: now,
        actorId: null,
        text: to
          ? `Alias ${alias} of ${model} moved ${from ?? "?"} → ${to} in the registry (not by the bot)`
          : `Alias ${alias} of ${model} deleted in the registry (it pointed to ${from ?? "?"})`,
        sourceKey: `alias-move:${move.id}`,
      },
    );
    await ctx.jobs.sendInTx(tx, "aliasNotice", { incidentId: inc.id, moveId: move.id });
  }
  const versions = [from, to].filter((v): v is string => Boolean(v));
  const gates = await recordOnGates(tx, model, versions, to ? "model_version_alias.created" : "model_version_alias.deleted", now, {
    alias,
    from,
    to,
  });
  ctx.log.info({ model, alias, from, to, incidents: open.map((i) => incidentRef(i.id)) }, "registry alias moved");
  return { duplicate: false, handled: "alias move recorded", incidents: open.map((i) => i.id), gates };
}

/** Gates whose subject names the model and one of the versions ("lead-scoring v7", "lead-scoring 7 to prod") record the event. */
async function recordOnGates(
  tx: Tx,
  model: string,
  versions: string[],
  kind: string,
  now: Date,
  extra: { alias?: string; from?: string | null; to?: string | null },
): Promise<number[]> {
  const hit: number[] = [];
  for (const { id, version } of await findModelGates(tx, [model], versions)) {
    await recordGateEvent(
      tx,
      id,
      { kind: "model.registry_event", data: { event: kind, model, version, ...extra } },
      { actorId: null, at: now },
    );
    hit.push(id);
  }
  return hit;
}
