import { warnAlertConfig } from "./alerts/warn-alert-config.js";
import { startClockSweep } from "./clocks/start-clock-sweep.js";
import type { AppContext } from "./context.js";
import { scheduleChaseTick } from "./gates/chase-gates.js";
import { loadGateTemplates } from "./gates/load-gate-templates.js";
import { alertRoutes } from "./http/alert-routes.js";
import { statusRoutes } from "./http/status-routes.js";
import { mlflowRoutes } from "./http/mlflow-routes.js";
import { jiraRoutes } from "./http/jira-routes.js";
import { resumeJiraIssues } from "./jira/queue-jira-issue.js";
import { webRoutes } from "./http/web-routes.js";
import { healthRoutes, type Route } from "./http/routes.js";
import { JOBS } from "./jobs/registry.js";
import { resumeRollbacks } from "./models/run-rollback.js";
import { startReviewTick } from "./reviews/review-tick.js";
import { LISTENERS } from "./slack/listeners/index.js";

/**
 * The composition root's table: everything the app runs, in one place. app.ts starts it in this order:
 * listen (answering "starting", see http/routes.ts answerStarting) → migrations and job queue → beforeServe tasks →
 * Bolt with the listeners → job workers → serve the HTTP routes → afterServe tasks.
 */
export const WIRING = {
  /** Slack listeners (src/slack/listeners/index.ts lists and registers them). */
  listeners: LISTENERS,
  /** Job handlers, one per queue (src/jobs/registry.ts). */
  jobs: JOBS,
  /** HTTP route groups besides Slack's `/slack/events` (added by app.ts in HTTP mode). */
  routes: [healthRoutes, alertRoutes, statusRoutes, mlflowRoutes, jiraRoutes, (ctx: AppContext) => webRoutes(ctx)] satisfies ((
    ctx: AppContext,
  ) => Route[])[],
  /** Start-up tasks that must finish before any job or request runs. */
  beforeServe: [loadGateTemplates] satisfies StartupTask[],
  /** Start-up tasks once the app serves: catch-up sweeps and the self-rescheduling ticks. */
  afterServe: [
    warnAlertConfig,
    (ctx) => scheduleChaseTick(ctx), // start-up kick; the tick re-schedules itself
    startClockSweep,
    startReviewTick,
    resumeRollbacks,
    resumeJiraIssues,
  ] satisfies StartupTask[],
};

export type StartupTask = (ctx: AppContext) => Promise<void>;
