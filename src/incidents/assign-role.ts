import type { AppContext } from "../context.js";
import { changeIncident } from "./change-incident.js";

export async function assignRole(ctx: AppContext, incidentId: number, actorId: string, role: "lead" | "comms", userId: string) {
  return changeIncident(ctx, incidentId, actorId, async (_tx, inc) => {
    const previous = role === "lead" ? inc.leadId : inc.commsId;
    const label = role === "lead" ? "Incident lead" : "Comms owner";
    return {
      data: role === "lead" ? { leadId: userId } : { commsId: userId },
      events: [{ event: { kind: "role.assigned", data: { role, userId, previous } }, text: `${label}: <@${userId}>` }],
      announce: { text: `${label} is now <@${userId}> (set by <@${actorId}>).` },
    };
  });
}
