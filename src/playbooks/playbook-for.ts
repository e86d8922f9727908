import type { Config } from "../config.js";
import type { Category } from "../incidents/types.js";
import { buildPlaybook } from "./rollback.js";

/** The rollback playbook tailored to the category, with the configured clock targets in its text. */
export function playbookFor(config: Config, category: Category | null) {
  return buildPlaybook(category, {
    targets: {
      ackSeconds: config.targets.ack,
      mitigateSeconds: config.targets.mitigate,
      productUpdateSeconds: config.targets.productUpdate,
      statusPageSeconds: config.targets.statusPage,
      leadershipSummarySeconds: config.targets.leadershipSummary,
    },
  });
}
