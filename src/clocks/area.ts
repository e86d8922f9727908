import type { AreaModule } from "../app.js";
import type { AppContext } from "../context.js";
import { register as registerProductUpdate } from "../slack/listeners/actions/product-update.js";
import { evaluateClocks } from "./evaluate-clocks.js";

/** How often every open incident's clocks are re-evaluated, as a safety net for lost wake-ups. */
export const CLOCK_SWEEP_MS = Number(process.env.CLOCK_SWEEP_MS ?? 30_000);

async function registerClockWorkers(ctx: AppContext) {
  await ctx.jobs.work<{ incidentId?: number }>("clockWake", async ({ incidentId }) => {
    const result = await evaluateClocks(ctx, typeof incidentId === "number" ? incidentId : undefined);
    // Chain: wake again at the next thing this incident is owed (a deadline, an escalation, the draft
    // offer, the cadence post). One job per incident and moment (singleton key), so wakes never pile up.
    const next = result.nextDueAt;
    if (typeof incidentId === "number" && next) {
      const at = new Date(next.getTime() + 250); // a hair late rather than early: the evaluator needs now ≥ due
      await ctx.jobs.send("clockWake", { incidentId }, { startAfter: at, singletonKey: `wake-${incidentId}-${at.getTime()}` });
    }
  });
}

/** Catch-up at start-up (targets missed while the app was down), then a periodic sweep. */
async function startClockSweep(ctx: AppContext) {
  const sweep = async () => {
    try {
      await evaluateClocks(ctx);
    } catch (err) {
      ctx.log.warn({ err }, "clock sweep failed");
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), CLOCK_SWEEP_MS);
  timer.unref();
  // The app has no stop hook for areas; the job queue stopping means this process is shutting down.
  ctx.jobs.boss.once("stopped", () => clearInterval(timer));
}

/** Wiring of the clocks area: listeners, job handlers, HTTP routes, start-up tasks. */
export const clocksArea: AreaModule = {
  listeners: [registerProductUpdate],
  workers: [registerClockWorkers],
  onStart: startClockSweep,
};
