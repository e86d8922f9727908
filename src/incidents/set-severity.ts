import type { AppContext } from "../context.js";
import { queueTrigger } from "../paging/queue-page.js";
import { changeIncident } from "./change-incident.js";
import { escalationForSeverity, type Escalation, type Severity } from "./types.js";

const RANK: Record<Escalation, number> = { green: 0, yellow: 1, red: 2 };

export async function setSeverity(ctx: AppContext, incidentId: number, actorId: string, severity: Severity) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc) => {
    if (inc.severity === severity) return { result: false };
    // Raised to P1 while open: page the on-call (PAGERDUTY_ROUTING_KEY), once per incident.
    if (severity === "P1" && inc.status !== "resolved")
      await queueTrigger(ctx, tx, incidentId, `severity raised to P1 by ${actorId}`, { actorId });
    // A higher severity raises the escalation colour; a lower one never hides a breach.
    const bySeverity = escalationForSeverity(severity);
    const escalation = RANK[bySeverity] > RANK[inc.escalation as Escalation] ? bySeverity : inc.escalation;
    return {
      data: { severity, escalation },
      events: [
        { event: { kind: "severity.changed", data: { from: inc.severity, to: severity } }, text: `Severity ${inc.severity} → ${severity}` },
      ],
      announce: { text: `Severity changed ${inc.severity} → *${severity}* by <@${actorId}>.` },
      result: true,
    };
  });
}
