import type { AppContext } from "../context.js";
import type { JobData } from "../jobs/payloads.js";
import { evaluateClocks } from "./evaluate-clocks.js";

/** Job handler of `clockWake`: evaluates one incident's clocks (or every open incident's), then books its next wake. */
export async function wakeClocks(ctx: AppContext, { incidentId }: JobData<"clockWake">): Promise<void> {
  const result = await evaluateClocks(ctx, typeof incidentId === "number" ? incidentId : undefined);
  // Chain: wake again at the next thing this incident is owed (a deadline, an escalation, the draft
  // offer, the cadence post). One job per incident and moment (singleton key), so wakes never pile up.
  const next = result.nextDueAt;
  if (typeof incidentId === "number" && next) {
    const at = new Date(next.getTime() + 250); // a hair late rather than early: the evaluator needs now ≥ due
    await ctx.jobs.send("clockWake", { incidentId }, { startAfter: at, singletonKey: `wake-${incidentId}-${at.getTime()}` });
  }
}
