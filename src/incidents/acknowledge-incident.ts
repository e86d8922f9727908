import { meetClock } from "../clocks/meet-clock.js";
import type { AppContext } from "../context.js";
import { queueFollowUp } from "../paging/queue-page.js";
import { changeIncident } from "./change-incident.js";
import { incidentRef } from "./naming.js";

/** Ack: meets the ack clock. A second ack is harmless and says who acknowledged first. */
export async function acknowledgeIncident(ctx: AppContext, incidentId: number, actorId: string, via = "command") {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    if (inc.acknowledgedAt) {
      return { result: { already: true, by: inc.acknowledgedBy } };
    }
    await meetClock(tx, incidentId, "ack", now, actorId);
    // A person's ack is told to PagerDuty; an ack that came from PagerDuty (alert:…) is not sent back (no loop).
    if (!actorId.startsWith("alert:")) await queueFollowUp(ctx, tx, incidentId, "acknowledge", actorId);
    const who = actorId.startsWith("alert:") ? "PagerDuty" : `<@${actorId}>`;
    return {
      data: {
        acknowledgedAt: now,
        acknowledgedBy: actorId,
        leadId: inc.leadId ?? (actorId.startsWith("U") || actorId.startsWith("W") ? actorId : null),
      },
      events: [{ event: { kind: "incident.acknowledged", data: { via } }, text: `Acknowledged by ${who}` }],
      announce: { text: `👀 ${who} acknowledged ${incidentRef(incidentId)}.` },
      result: { already: false, by: actorId },
    };
  });
}
