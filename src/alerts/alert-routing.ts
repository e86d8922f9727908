import type { AppContext } from "../context.js";
import type { RoutingConfig } from "./routing-config.js";

/**
 * The routing file (ALERT_ROUTES_FILE), read and checked with the rest of the configuration (src/config.ts), so a
 * bad file stops the app in one line before it opens the database. The environment is the default route
 * (INCIDENT_RESPONDERS, ALERTS_CHANNEL_ID).
 */
export function routingFor(ctx: AppContext): RoutingConfig {
  return ctx.config.alertRouting;
}
