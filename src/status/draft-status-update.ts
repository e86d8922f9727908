import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { incidentRef } from "../incidents/naming.js";
import type { PublicIncidentStatus } from "./public-status.js";

export const STATUSPAGE_USAGE = [
  "`/incident statuspage <text>` — preview a plain-language update for the public status page, then Publish or Edit",
  "`/incident statuspage status investigating|identified|monitoring|resolved` — the public status shown from the next update",
  "`/incident statuspage component <id> operational|degraded_performance|partial_outage|major_outage` — a component's public status",
  "`/incident statuspage name <public name>` — the incident's name on the page (never the internal title unless you type it)",
].join("\n");

export const MAX_STATUS_TEXT = 2000;

/** Checks a text end users will read; the same rule for the command and the Edit modal. */
export function checkStatusText(raw: string): string {
  const text = raw.trim();
  if (!text) throw new AppError("usage", "Give the status-page text end users will read.", STATUSPAGE_USAGE);
  if (text.length > MAX_STATUS_TEXT)
    throw new AppError("invalid", `The status-page text is ${text.length} characters; keep it under ${MAX_STATUS_TEXT}.`, STATUSPAGE_USAGE);
  return text;
}

/** Stores a draft to preview; nothing reaches the public page until someone publishes it. */
export async function draftStatusUpdate(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  rawText: string,
  status?: PublicIncidentStatus,
): Promise<number> {
  const text = checkStatusText(rawText);
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId }, select: { id: true } });
  if (!inc) throw new AppError("not_found", `${incidentRef(incidentId)} does not exist.`);
  const draft = await ctx.prisma.statusDraft.create({
    data: { incidentId, text, createdBy: actorId, status: status ?? null, createdAt: ctx.clock.now() },
  });
  return draft.id;
}
