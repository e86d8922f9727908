import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { JobData } from "../jobs/payloads.js";
import type { TimelineEventInput } from "./events.js";
import { recordEvent } from "./record-event.js";

/**
 * An outside send (email, page, ticket) that failed, told in the incident channel once: `claim` is a conditional
 * update that sets the row's "noticed" time only where it is still empty, so two workers failing at once record
 * one timeline event and queue one notice. Call inside the transaction that counted the failure.
 */
export async function noticeFailureOnce(
  ctx: AppContext,
  tx: Prisma.TransactionClient,
  failure: {
    claim: () => Promise<{ count: number }>;
    incidentId: number;
    event: TimelineEventInput;
    text: string;
    notice: JobData<"outreachNotice">;
  },
): Promise<boolean> {
  const claimed = await failure.claim();
  if (claimed.count === 0) return false;
  await recordEvent(tx, failure.incidentId, failure.event, { at: ctx.clock.now(), actorId: null, text: failure.text });
  await ctx.jobs.sendInTx(tx, "outreachNotice", failure.notice);
  return true;
}
