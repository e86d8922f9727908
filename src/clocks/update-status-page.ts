import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { meetClock } from "./meet-clock.js";
import { publicStatusOf } from "../status/public-status.js";

export const STATUSPAGE_USAGE = "`/incident statuspage <text>` — record the plain-language public status for end users";

/** Records the public status-page text; meets the status-page clock. */
export async function updateStatusPage(ctx: AppContext, incidentId: number, actorId: string, rawText: string) {
  const text = rawText.trim();
  if (!text) throw new AppError("usage", "Give the status-page text end users will read.", STATUSPAGE_USAGE);
  if (text.length > 2000)
    throw new AppError("invalid", `The status-page text is ${text.length} characters; keep it under 2000.`, STATUSPAGE_USAGE);
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    await meetClock(tx, incidentId, "status_page", now, actorId);
    return {
      data: { statusPageText: text },
      events: [{ event: { kind: "statuspage.updated", data: { text, status: publicStatusOf(inc.status) } }, text: `Status page: ${text}` }],
      notice: { kind: "status-page", incidentId, actorId, text },
      result: { wasUserFacing: inc.userFacing },
    };
  });
}
