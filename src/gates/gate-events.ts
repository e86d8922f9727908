import { z } from "zod";
import { ItemEventSchemas } from "../checklist/item-events.js";

/**
 * GateEvent rows (the gate's audit trail): the checklist item events shared with incident timelines plus the
 * gate's own kinds. Data shapes are part of the stored history: change one only with a migration of old rows.
 */
export const GateEventSchema = z.discriminatedUnion("kind", [
  ...ItemEventSchemas,
  z.object({
    kind: z.literal("gate.opened"),
    data: z.object({
      templateId: z.string(),
      subject: z.string(),
      channelId: z.string(),
      override: z.object({ by: z.string(), requires: z.string(), reason: z.string() }).optional(),
    }),
  }),
  z.object({ kind: z.literal("gate.approved"), data: z.object({ approvedBy: z.string() }) }),
  z.object({ kind: z.literal("gate.reopened"), data: z.object({ reason: z.string(), previousApprover: z.string().nullable() }) }),
  z.object({ kind: z.literal("gate.assigned_all"), data: z.object({ ownerId: z.string(), numbers: z.array(z.string()) }) }),
  z.object({ kind: z.literal("gate.exported"), data: z.object({ channelId: z.string() }) }),
  z.object({
    kind: z.literal("gate.chased"),
    data: z.object({ day: z.string(), unowned: z.array(z.string()), owners: z.array(z.string()) }),
  }),
  z.object({ kind: z.literal("gate.post_failed"), data: z.object({ channelId: z.string(), error: z.string() }) }),
  // A registry webhook about the model and version this gate's subject names (src/models/receive-registry-event.ts).
  z.object({
    kind: z.literal("model.registry_event"),
    data: z.object({
      event: z.string(),
      model: z.string(),
      version: z.string(),
      alias: z.string().optional(),
      from: z.string().nullable().optional(),
      to: z.string().nullable().optional(),
    }),
  }),
]);

export type GateEventInput = z.infer<typeof GateEventSchema>;
export type GateEventKind = GateEventInput["kind"];

/** A stored row read back: a known event, or (a kind this code does not know, or an odd shape) kept as it is. */
export type StoredGateEvent = GateEventInput | { kind: "unknown"; storedKind: string; data: unknown };

/** Never throws: history written by older code stays readable. */
export function readGateEvent(row: { kind: string; data: unknown }): StoredGateEvent {
  const parsed = GateEventSchema.safeParse({ kind: row.kind, data: row.data });
  return parsed.success ? parsed.data : { kind: "unknown", storedKind: row.kind, data: row.data };
}
