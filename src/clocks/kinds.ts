import type { Config } from "../config.js";

/** The seed's communication and response targets, one clock each. */
export const CLOCK_KINDS = ["ack", "mitigate", "product_update", "status_page", "leadership_summary"] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export const CLOCK_LABELS: Record<ClockKind, string> = {
  ack: "Acknowledge",
  mitigate: "Mitigation",
  product_update: "Product / business update",
  status_page: "Status page update",
  leadership_summary: "Leadership summary",
};

export function targetSeconds(config: Config, kind: ClockKind): number {
  switch (kind) {
    case "ack":
      return config.targets.ack;
    case "mitigate":
      return config.targets.mitigate;
    case "product_update":
      return config.targets.productUpdate;
    case "status_page":
      return config.targets.statusPage;
    case "leadership_summary":
      return config.targets.leadershipSummary;
  }
}
