import type { App } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import type { CaptureJob } from "../../../timeline/capture-message.js";
import { describeError, replyError } from "../../reply-error.js";

/**
 * `pin_added` and `reaction_added` (TIMELINE_REACTION) → a queued capture. The listener only enqueues (Bolt
 * has already acked); retries (X-Slack-Retry-Num) enqueue again and the capture dedupes on the message ts.
 */
interface PinEvent {
  user?: string;
  channel_id?: string;
  item?: { ts?: string; channel?: string; message?: { ts?: string; text?: unknown; user?: string; bot_id?: string } };
}

export function register(app: App, ctx: AppContext) {
  app.event("pin_added", async ({ event, context }) => {
    // Read as all-optional: Slack's type promises fields a malformed or older payload may lack.
    const e = event as PinEvent;
    const item = e.item ?? {};
    const msg = item.message;
    const ts: string | undefined = msg?.ts ?? item.ts;
    const channelId: string | undefined = e.channel_id ?? item.channel;
    if (!ts || !channelId) return;
    if (e.user && e.user === context.botUserId) return; // our own pins (header, playbook, runbooks)
    if (msg && ((context.botId && msg.bot_id === context.botId) || (context.botUserId && msg.user === context.botUserId))) return;
    await enqueue(ctx, {
      channelId,
      ts,
      via: "pin",
      markedBy: e.user ?? null,
      ...(msg && typeof msg.text === "string" ? { text: msg.text, author: msg.user ?? null } : {}),
      botUserId: context.botUserId ?? null,
      botId: context.botId ?? null,
    });
  });

  app.event("reaction_added", async ({ event, context }) => {
    if (event.reaction !== ctx.config.timelineReaction) return;
    const item = event.item as { type: string; channel?: string; ts?: string };
    if (item.type !== "message" || !item.channel || !item.ts) return;
    if (context.botUserId && event.item_user === context.botUserId) return;
    await enqueue(ctx, {
      channelId: item.channel,
      ts: item.ts,
      via: "reaction",
      markedBy: event.user,
      author: event.item_user ?? null,
      botUserId: context.botUserId ?? null,
      botId: context.botId ?? null,
    });
  });
}

async function enqueue(ctx: AppContext, job: CaptureJob) {
  try {
    // Cheap filter before queueing: most pins and reactions happen outside incident channels.
    const inc = await ctx.prisma.incident.findFirst({ where: { channelId: job.channelId }, select: { id: true } });
    if (!inc) return;
    await ctx.jobs.send("timelineCapture", job);
  } catch (e) {
    // The person who marked the message is told it did not reach the timeline (with the reference id).
    if (job.markedBy) await replyError(ctx, e, { userId: job.markedBy, channelId: job.channelId }, "timeline capture", { via: job.via });
    else describeError(ctx.log, e, "timeline capture", { via: job.via });
  }
}
