import type { AppContext } from "../context.js";
import { directQuery } from "../db/direct-sql.js";
import type { ParsedPayload } from "./payloads.js";

// First replica to record a delivery handles it; Slack may hand the same one (a retry) to another connection.
const TAKE = `INSERT INTO "SlackDelivery" ("id", "receivedAt") VALUES ($1::text, $2::timestamp(3)) ON CONFLICT ("id") DO NOTHING RETURNING "id"`;
const FORGET = `DELETE FROM "SlackDelivery" WHERE "receivedAt" < $1::timestamp(3)`;
// Slack retries a delivery for a few minutes at most; a day of ids is plenty and keeps the table small.
const KEEP_MS = 24 * 3600_000;

/** The id Slack gives one delivery: an event's event_id, a command's or interaction's trigger_id. */
export function deliveryId(payload: Extract<ParsedPayload, { ok: true }>["payload"]): string | undefined {
  if (payload.kind === "event") return payload.body.event_id ? `event:${payload.body.event_id}` : undefined;
  if (payload.kind === "command" || payload.kind === "interaction") {
    return payload.body.trigger_id ? `${payload.kind}:${payload.body.trigger_id}` : undefined;
  }
  return undefined;
}

let lastSweep = 0;

/** Records the delivery; false when another connection (this replica or another) already took it. */
export async function takeDelivery(ctx: AppContext, id: string): Promise<boolean> {
  const now = ctx.clock.now();
  const rows = await directQuery(ctx.prisma, TAKE, [id, now.toISOString()]);
  if (now.getTime() - lastSweep > 3600_000) {
    lastSweep = now.getTime();
    await directQuery(ctx.prisma, FORGET, [new Date(now.getTime() - KEEP_MS).toISOString()]).catch(() => {});
  }
  return rows.length === 1;
}
