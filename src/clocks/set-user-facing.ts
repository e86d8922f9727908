import type { AppContext } from "../context.js";
import { changeIncident } from "../incidents/change-incident.js";
import { targetSeconds } from "./kinds.js";
import { stopClocks } from "./meet-clock.js";
import { scheduleWake, startClock } from "./start-clocks.js";
import { incidentRef } from "../incidents/naming.js";

/**
 * Marks end-user impact. On: the status-page clock starts now (a clock that was stopped earlier resumes
 * from now but keeps its nudge/escalation marks: at most one of each per incident). Off: it stops.
 */
export async function setUserFacing(ctx: AppContext, incidentId: number, actorId: string, on: boolean) {
  return changeIncident(ctx, incidentId, actorId, async (tx, inc, now) => {
    if (inc.userFacing === on) return { result: false };
    if (on) {
      const existing = await tx.clock.findUnique({ where: { incidentId_kind: { incidentId, kind: "status_page" } } });
      if (!existing) {
        if (inc.status !== "resolved") await startClock(tx, ctx.jobs, ctx.config, incidentId, "status_page", now);
      } else if (existing.stoppedAt && !existing.metAt && inc.status !== "resolved") {
        const target = targetSeconds(ctx.config, "status_page");
        const dueAt = new Date(now.getTime() + target * 1000);
        await tx.clock.update({ where: { id: existing.id }, data: { startedAt: now, dueAt, targetSeconds: target, stoppedAt: null } });
        await scheduleWake(tx, ctx.jobs, incidentId, dueAt); // the evaluator chains the escalation wake
      }
    } else {
      await stopClocks(tx, incidentId, ["status_page"], now);
    }
    return {
      data: { userFacing: on },
      events: [
        {
          event: { kind: "user_facing.changed", data: { userFacing: on } },
          text: on ? "Marked user-facing (status-page clock started)" : "No longer user-facing (status-page clock stopped)",
        },
      ],
      announce: {
        text: on
          ? `🌐 <@${actorId}> marked ${incidentRef(incidentId)} as user-facing. Post the public status with \`/incident statuspage <text>\`.`
          : `<@${actorId}> marked ${incidentRef(incidentId)} as not user-facing; the status-page clock is stopped.`,
      },
      result: true,
    };
  });
}
