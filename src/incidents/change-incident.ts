import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { JobData } from "../jobs/payloads.js";
import { AppError } from "../errors.js";
import type { TimelineEventInput } from "../timeline/events.js";
import { recordEvent } from "../timeline/record-event.js";
import { queuePost } from "./post-to-channel.js";
import { incidentRef } from "./naming.js";

type Tx = Prisma.TransactionClient;
export type IncidentRow = Prisma.IncidentGetPayload<object>;

export interface Change<T = void> {
  data?: Prisma.IncidentUpdateInput;
  events?: { event: TimelineEventInput; text?: string }[];
  /** A short message for the incident channel, so every change is visible there. */
  announce?: ChatMessage;
  /** The same told as facts: src/slack/work/incident-notices.ts words it when the job runs. */
  notice?: JobData<"incidentNotice">;
  result?: T;
}

/**
 * The one path for changing an incident: lock the row, apply, record the timeline events, queue the
 * re-render and the announcement, all in one transaction. Slack work happens after commit, from jobs.
 */
export async function changeIncident<T = void>(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  fn: (tx: Tx, inc: IncidentRow, now: Date) => Promise<Change<T>>,
): Promise<{ incident: IncidentRow; result: T | undefined }> {
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(
    async (tx) => {
      // Serialise concurrent changes to one incident (two Done clicks at once) across processes.
      await tx.$queryRaw`SELECT id FROM "Incident" WHERE id = ${incidentId} FOR UPDATE`;
      const inc = await tx.incident.findUnique({ where: { id: incidentId } });
      if (!inc) throw new AppError("not_found", `${incidentRef(incidentId)} does not exist.`);
      const change = await fn(tx, inc, now);
      const updated = await tx.incident.update({
        where: { id: incidentId },
        data: change.data ?? {},
      });
      for (const e of change.events ?? []) {
        await recordEvent(tx, incidentId, e.event, { at: now, actorId, text: e.text ?? null });
      }
      await ctx.jobs.sendInTx(tx, "render", { incidentId }, { singletonKey: `render-${incidentId}` });
      if (change.announce) await queuePost(ctx, tx, { incidentId }, change.announce);
      if (change.notice) await ctx.jobs.sendInTx(tx, "incidentNotice", change.notice);
      return { incident: updated, result: change.result };
    },
    { timeout: 15_000 },
  );
}
