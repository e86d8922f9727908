/** The lead-scoring seed's Escalation Path and Key Contacts, as data. */

export const ESCALATION_LEVELS = ["green", "yellow", "red"] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export interface EscalationStage {
  level: EscalationLevel;
  title: string;
  meaning: string;
  example?: string;
  actions: string[];
  timeline?: string;
  followUp?: string;
}

export const escalationPath: Record<EscalationLevel, EscalationStage> = {
  green: {
    level: "green",
    title: "Green light",
    meaning: "All good",
    actions: ["Daily monitoring continues", "Weekly metrics review", "No action needed"],
  },
  yellow: {
    level: "yellow",
    title: "Yellow alert",
    meaning: "Warning: one metric in the yellow zone",
    example: "AUC 0.84, below the 0.85 threshold",
    actions: ["Notify the ML team", "Plan retraining"],
    timeline: "Investigate within 48 hours",
  },
  red: {
    level: "red",
    title: "Red alert",
    meaning: "Critical: several metrics degraded, or the system has failed",
    example: "API error rate above 5 %, latency above 500 ms",
    actions: ["Roll back to the previous model version immediately"],
    timeline: "Restore service within 1 hour",
    followUp: "Post-mortem with the team",
  },
};

export const CONTACT_ROLES = ["ml-lead", "mlops-engineer", "data-engineer", "sales-lead", "product-manager"] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

export const contactRoleNames: Record<ContactRole, string> = {
  "ml-lead": "ML Lead",
  "mlops-engineer": "MLOps Engineer",
  "data-engineer": "Data Engineer",
  "sales-lead": "Sales Lead",
  "product-manager": "Product Manager",
};

export function isContactRole(value: string): value is ContactRole {
  return (CONTACT_ROLES as readonly string[]).includes(value);
}
