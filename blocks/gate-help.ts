/** The `/gate` help; its usage lines are the ones use cases put on their errors (src/gates/gate-usage.ts). */
import { GATE_USAGE, gateUsageFor } from "../src/gates/gate-usage.js";

export { GATE_USAGE, gateUsageFor };

export function gateHelpText(): string {
  return [
    "*/gate* — release gates from the ML checklists: every item has an owner, a peer approves.",
    ...Object.values(GATE_USAGE).map((u) => `• ${u}`),
    "Rollout stages open in order for a subject: shadow → canary → ab-test → full-rollout.",
  ].join("\n");
}
