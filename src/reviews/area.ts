import type { AreaModule } from "../app.js";
import type { AppContext } from "../context.js";
import { register as registerReviewActions } from "../slack/listeners/actions/review-actions.js";
import { register as registerTimelineCapture } from "../slack/listeners/events/timeline-capture.js";
import { register as registerReviewViews } from "../slack/listeners/views/review-views.js";
import { type CaptureJob, captureMessage } from "../timeline/capture-message.js";
import { sweepArchives } from "./archive-channels.js";
import type { HousekeepingJob } from "./complete-review.js";
import { draftReview, type PublishReviewJob } from "./draft-review.js";
import { publishReview, refreshReviewMessage } from "./publish-review.js";
import { type ReminderJob, sendReminderDm, sendReminders } from "./send-reminders.js";

/** How often the tick wakes the reminder and archive sweeps (they decide from the clock what is due). */
export const TICK_SECONDS = 3600;
const TICK_KEY = "review-tick";

async function sweep(ctx: AppContext) {
  await sendReminders(ctx);
  await sweepArchives(ctx);
}

/** Wiring of the reviews area: listeners, job handlers, HTTP routes, start-up tasks. */
export const reviewsArea: AreaModule = {
  listeners: [registerTimelineCapture, registerReviewActions, registerReviewViews],
  workers: [
    async (ctx) => {
      await ctx.jobs.work<CaptureJob>("timelineCapture", async (job) => {
        const outcome = await captureMessage(ctx, job);
        ctx.log.debug({ outcome, channel: job.channelId, ts: job.ts }, "timeline capture");
      });
      await ctx.jobs.work<PublishReviewJob>("reviewDraft", async ({ incidentId }) => {
        await publishReview(ctx, incidentId);
      });
      await ctx.jobs.work<HousekeepingJob>("housekeeping", async (job) => {
        if (job.kind === "incident-resolved") await draftReview(ctx, job.incidentId, "bot");
        else if (job.kind === "review-message") await refreshReviewMessage(ctx, job.incidentId);
        else if (job.kind === "sweep") await sweep(ctx);
      });
      await ctx.jobs.work<ReminderJob>("reminders", async (job) => {
        if (job.kind === "dm") await sendReminderDm(ctx, job.userId, job.text);
        else if (job.kind === "sweep") await sweep(ctx);
      });
      await ctx.jobs.work<object>("reviewTick", async () => {
        // Schedule the next tick first: a failing sweep must not end the chain.
        await ctx.jobs.send("reviewTick", {}, { startAfter: TICK_SECONDS, singletonKey: TICK_KEY });
        await sweep(ctx);
      });
    },
  ],
  async onStart(ctx) {
    // Catch up on what fell due while the app was down, and make sure one tick chain exists.
    await ctx.jobs.send<ReminderJob>("reminders", { kind: "sweep" });
    await ctx.jobs.send("reviewTick", {}, { startAfter: TICK_SECONDS, singletonKey: TICK_KEY });
  },
};
