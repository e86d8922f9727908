import type { z } from "zod";

/** A stored event row read back: a known event, or (a kind this code does not know, or an odd shape) kept as it is. */
export type StoredEvent<E> = E | { kind: "unknown"; storedKind: string; data: unknown };

/**
 * Reads a stored (kind, data) row through its union without throwing: history written by older code stays
 * readable. Used for incident timelines and gate audit trails alike.
 */
export function readStoredEvent<S extends z.ZodType<{ kind: string }>>(
  schema: S,
  row: { kind: string; data: unknown },
): StoredEvent<z.infer<S>> {
  const parsed = schema.safeParse({ kind: row.kind, data: row.data });
  return parsed.success ? parsed.data : { kind: "unknown", storedKind: row.kind, data: row.data };
}
