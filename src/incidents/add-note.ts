import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "./change-incident.js";

export async function addNote(ctx: AppContext, incidentId: number, actorId: string, text: string) {
  const note = text.trim();
  if (!note) throw new AppError("usage", "A note needs some text.", "Usage: `/incident note <text>`");
  return changeIncident(ctx, incidentId, actorId, async () => ({
    events: [{ event: { kind: "note.added", data: {} }, text: note }],
    notice: { kind: "note", incidentId, actorId, text: note },
  }));
}
