import { z } from "zod";

export const SEVERITIES = ["P1", "P2", "P3", "P4"] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const STATUSES = ["investigating", "identified", "mitigated", "resolved"] as const;
export const StatusSchema = z.enum(STATUSES);
export type IncidentStatus = z.infer<typeof StatusSchema>;

export const CATEGORIES = ["data", "model", "infrastructure", "integration"] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export type Escalation = "green" | "yellow" | "red";

/** Severity sets the starting escalation colour; breached clocks raise it (see clocks/). */
export function escalationForSeverity(s: Severity): Escalation {
  return s === "P1" ? "red" : s === "P2" ? "yellow" : "green";
}

export const isOpenStatus = (s: string) => s !== "resolved";
