import type { Prisma } from "../db.js";
import { type TimelineEventInput, TimelineEventSchema } from "./events.js";

type Tx = Prisma.TransactionClient;

/** Appends one event, validated against the union. Call inside the transaction that made the change. */
export async function recordEvent(
  tx: Tx,
  incidentId: number,
  event: TimelineEventInput,
  meta: { at: Date; actorId: string | null; text?: string | null; sourceKey?: string },
): Promise<void> {
  const parsed = TimelineEventSchema.parse(event);
  await tx.timelineEvent.create({
    data: {
      incidentId,
      kind: parsed.kind,
      data: parsed.data as Prisma.InputJsonValue,
      actorId: meta.actorId,
      at: meta.at,
      text: meta.text ?? null,
      sourceKey: meta.sourceKey,
    },
  });
}
