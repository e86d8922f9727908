import { z } from "zod";

/**
 * The checklist item events, one shape for incident timelines (list playbook|runbook) and gate audit trails
 * (list gate). Stored forever in TimelineEvent and GateEvent: change a shape only with a migration of old rows.
 */
const list = z.string();
const number = z.string();
export const ItemEventSchemas = [
  z.object({
    kind: z.literal("item.owner_set"),
    data: z.object({ list, number, ownerId: z.string(), previous: z.string().nullable() }),
  }),
  z.object({ kind: z.literal("item.completed"), data: z.object({ list, number, previous: z.string().optional() }) }),
  z.object({
    kind: z.literal("item.marked_na"),
    data: z.object({ list, number, justification: z.string(), previous: z.string().optional() }),
  }),
  z.object({ kind: z.literal("item.reopened"), data: z.object({ list, number }) }),
  z.object({
    kind: z.literal("item.measured"),
    data: z.object({
      list,
      number,
      input: z.string(),
      value: z.number(),
      passing: z.boolean(),
      text: z.string(),
      reopened: z.boolean(),
    }),
  }),
] as const;
