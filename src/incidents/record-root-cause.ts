import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { type Change, changeIncident, type IncidentRow } from "./change-incident.js";

export const CAUSE_USAGE = "Usage: `/incident cause <text>` — record the root cause (fills the review's ROOT CAUSE)";

/**
 * The root cause as a change inside an incident transaction: the text, when it was identified (kept from
 * `status identified` if that came first) and a timeline event whose actor is whoever wrote it.
 */
export function rootCauseChange(inc: IncidentRow, text: string, now: Date): Pick<Change, "data" | "events"> {
  const data: Prisma.IncidentUpdateInput = { rootCause: text };
  if (!inc.identifiedAt) data.identifiedAt = now;
  return {
    data,
    events: [
      {
        event: { kind: "root_cause.recorded", data: { previous: inc.rootCause ?? null } },
        text: `Root cause identified: ${text}`,
      },
    ],
  };
}

export async function recordRootCause(ctx: AppContext, incidentId: number, actorId: string, text: string) {
  const cause = text.trim();
  if (!cause) throw new AppError("usage", "A root cause needs some text.", CAUSE_USAGE);
  return changeIncident(ctx, incidentId, actorId, async (_tx, inc, now): Promise<Change<boolean>> => {
    if (inc.rootCause === cause) return { result: false };
    return { ...rootCauseChange(inc, cause, now), result: true };
  });
}
