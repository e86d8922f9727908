import type { AppContext } from "../context.js";
import { evaluateClocks } from "./evaluate-clocks.js";

/**
 * Start-up task: catch up on targets missed while the app was down, then re-evaluate every open incident's
 * clocks each CLOCK_SWEEP_MS, as a safety net for lost wake-ups.
 */
export async function startClockSweep(ctx: AppContext): Promise<void> {
  const sweep = async () => {
    try {
      await evaluateClocks(ctx);
    } catch (err) {
      ctx.log.warn({ err }, "clock sweep failed");
    }
  };
  await sweep();
  const timer = setInterval(() => void sweep(), ctx.config.clockSweepMs);
  timer.unref();
  // Start-up tasks have no stop hook; the job queue stopping means this process is shutting down.
  ctx.jobs.boss.once("stopped", () => clearInterval(timer));
}
