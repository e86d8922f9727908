import type { AppContext } from "../context.js";
import { queueTrigger } from "../paging/queue-page.js";
import { changeIncident } from "./change-incident.js";
import type { Severity } from "./types.js";

export async function setSeverity(ctx: AppContext, incidentId: number, actorId: string, severity: Severity) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc) => {
    if (inc.severity === severity) return { result: false };
    // Raised to P1 while open: page the on-call (PAGERDUTY_ROUTING_KEY), once per incident.
    if (severity === "P1" && inc.status !== "resolved")
      await queueTrigger(ctx, tx, incidentId, `severity raised to P1 by ${actorId}`, { actorId });
    // The escalation colour follows the clocks, not the severity (see INITIAL_ESCALATION).
    return {
      data: { severity },
      events: [
        { event: { kind: "severity.changed", data: { from: inc.severity, to: severity } }, text: `Severity ${inc.severity} → ${severity}` },
      ],
      announce: { text: `Severity changed ${inc.severity} → *${severity}* by <@${actorId}>.` },
      result: true,
    };
  });
}
