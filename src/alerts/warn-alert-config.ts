import type { AppContext } from "../context.js";

/** Start-up task: says which alert features are off because their setting is missing. */
export async function warnAlertConfig(ctx: AppContext): Promise<void> {
  if (!ctx.config.alertWebhookToken) ctx.log.warn("ALERT_WEBHOOK_TOKEN is not set: the /alerts routes answer 503");
  if (!ctx.config.alertsChannelId) {
    ctx.log.warn("ALERTS_CHANNEL_ID is not set: P3/P4 alerts are only stored and listed by `/incident alerts`");
  }
}
