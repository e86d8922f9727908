import type { AppContext } from "../context.js";
import { Prisma } from "../db.js";
import type { JobData } from "../jobs/payloads.js";
import { recordEvent } from "./record-event.js";

/** Job payload of `timelineCapture` (the schema, with its field notes, is in src/jobs/payloads.ts). */
export type CaptureJob = JobData<"timelineCapture">;

const MAX_TEXT = 3000;

/** Slack ts `1732352400.000100` → the message time. */
export function tsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

export const captureSourceKey = (ts: string) => `msg:${ts}`;

/**
 * Puts a message on its incident's timeline as `message.captured`: text, author, message time and permalink.
 * Idempotent per message (sourceKey `msg:<ts>`): Slack retries, a pin after a reaction, two reactions → one event.
 * Returns what happened, for logs and tests.
 */
export async function captureMessage(
  ctx: AppContext,
  job: CaptureJob,
): Promise<"captured" | "duplicate" | "not_incident" | "own_message" | "gone"> {
  const inc = await ctx.prisma.incident.findFirst({ where: { channelId: job.channelId }, select: { id: true } });
  if (!inc) return "not_incident";
  const sourceKey = captureSourceKey(job.ts);
  const existing = await ctx.prisma.timelineEvent.findUnique({
    where: { incidentId_sourceKey: { incidentId: inc.id, sourceKey } },
    select: { id: true },
  });
  if (existing) return "duplicate";

  let text = job.text;
  let author = job.author ?? null;
  let botId: string | undefined;
  if (text === undefined) {
    const msg = await ctx.chat.fetchMessage(job.channelId, job.ts);
    if (!msg) return "gone"; // deleted before we looked: nothing to record
    text = msg.text;
    author = msg.user ?? author;
    botId = msg.botId;
  }
  if ((job.botId && botId === job.botId) || (job.botUserId && author === job.botUserId)) return "own_message";

  const permalink = await ctx.chat.permalink(job.channelId, job.ts);
  const body = text.trim() || "(message without text)";
  try {
    await ctx.prisma.$transaction(async (tx) => {
      await recordEvent(
        tx,
        inc.id,
        { kind: "message.captured", data: { via: job.via, ts: job.ts, permalink } },
        {
          at: tsToDate(job.ts),
          actorId: author,
          text: body.length > MAX_TEXT ? `${body.slice(0, MAX_TEXT - 1)}…` : body,
          sourceKey,
        },
      );
    });
  } catch (e) {
    // Two deliveries raced past the check above: the unique (incidentId, sourceKey) keeps one.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return "duplicate";
    throw e;
  }
  return "captured";
}
