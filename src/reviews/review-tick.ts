import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import { sweepArchives } from "./archive-channels.js";
import { draftReview } from "./draft-review.js";
import { sendReminders } from "./send-reminders.js";

/** How often the tick wakes the reminder and archive sweeps (they decide from the clock what is due). */
export const TICK_SECONDS = 3600;
const TICK_KEY = "review-tick";

/** Reminders and archiving: each decides from the clock what is due, so running it early or twice is harmless. */
async function sweep(ctx: AppContext): Promise<void> {
  await sendReminders(ctx);
  await sweepArchives(ctx);
}

async function scheduleTick(ctx: AppContext): Promise<void> {
  await ctx.jobs.send("reviewTick", {}, { startAfter: TICK_SECONDS, singletonKey: TICK_KEY });
}

/** Start-up task: catch up on what fell due while the app was down, and make sure one tick chain exists. */
export async function startReviewTick(ctx: AppContext): Promise<void> {
  await ctx.jobs.send("reminders", { kind: "sweep" });
  await scheduleTick(ctx);
}

/** Job handler of `reviewTick`. */
export async function runReviewTick(ctx: AppContext): Promise<void> {
  // Schedule the next tick first: a failing sweep must not end the chain.
  await scheduleTick(ctx);
  await sweep(ctx);
}

/** Job handler of `housekeeping`, but for `review-message`: that one is Slack work (src/slack/work/publish-review.ts). */
export async function runHousekeepingJob(
  ctx: AppContext,
  job: Exclude<JobData<"housekeeping">, { kind: "review-message" }>,
): Promise<void> {
  if (job.kind === "incident-resolved") await draftReview(ctx, job.incidentId, "bot");
  else if (job.kind === "sweep") await sweep(ctx);
}

/** Job handler of `reminders` for the sweep; the DMs are Slack work (src/slack/work/review-notices.ts). */
export async function runReminderJob(ctx: AppContext, _job: { kind: "sweep" }): Promise<void> {
  await sweep(ctx);
}
