/**
 * Kinds of GateEvent rows (the gate's audit trail). Data shapes are part of the stored history: change one
 * only with a migration of old rows.
 */
export const GATE_EVENT_KINDS = [
  "gate.opened",
  "item.owner_set",
  "item.completed",
  "item.marked_na",
  "item.measured",
  "gate.approved",
  "gate.reopened",
  "gate.assigned_all",
  "gate.exported",
  "gate.chased",
  "gate.post_failed",
] as const;

export type GateEventKind = (typeof GATE_EVENT_KINDS)[number];
