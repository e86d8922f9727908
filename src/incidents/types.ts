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

/**
 * Every incident starts green whatever its severity (a fresh P1 is urgent, not late); the clocks raise the colour:
 * a missed target → yellow, unmet at twice its target → red (clocks/evaluate-clocks.ts). It never goes back down.
 */
export const INITIAL_ESCALATION: Escalation = "green";

export const isOpenStatus = (s: string) => s !== "resolved";
