import type { AreaModule } from "../app.js";
import { register as registerAlertActions } from "../slack/listeners/actions/alert-actions.js";
import { postAlertDigest } from "./digest.js";
import { alertRoutes } from "./http-routes.js";
import { postTriageMessage } from "./triage.js";

/** Wiring of the alerts area: listeners, job handlers, HTTP routes, start-up tasks. */
export const alertsArea: AreaModule = {
  routes: alertRoutes,
  listeners: [registerAlertActions],
  workers: [
    async (ctx) => {
      await ctx.jobs.work<{ incidentId: number }>("alertDigest", ({ incidentId }) => postAlertDigest(ctx, incidentId));
      await ctx.jobs.work<{ alertId: number }>("alertTriage", ({ alertId }) => postTriageMessage(ctx, alertId));
    },
  ],
  onStart: async (ctx) => {
    if (!ctx.config.alertWebhookToken) ctx.log.warn("ALERT_WEBHOOK_TOKEN is not set: the /alerts routes answer 503");
    if (!ctx.config.alertsChannelId) {
      ctx.log.warn("ALERTS_CHANNEL_ID is not set: P3/P4 alerts are only stored and listed by `/incident alerts`");
    }
  },
};
