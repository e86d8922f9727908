import { readFileSync } from "node:fs";
import { ConfigError } from "../config.js";
import type { AppContext } from "../context.js";
import { EMPTY_ROUTING_CONFIG, loadRoutingConfig, type RoutingConfig } from "./routing-config.js";

const loaded = new WeakMap<AppContext, RoutingConfig>();

/**
 * The routing file (ALERT_ROUTES_FILE), read once per app at start-up. The environment is the default route
 * (INCIDENT_RESPONDERS, ALERTS_CHANNEL_ID). A bad file is a configuration error: one line, exit 1.
 */
export function routingFor(ctx: AppContext): RoutingConfig {
  let routing = loaded.get(ctx);
  if (!routing) {
    routing = readRoutingFile(ctx.config.alertRoutesFile);
    loaded.set(ctx, routing);
  }
  return routing;
}

export function readRoutingFile(file: string | undefined): RoutingConfig {
  if (!file) return EMPTY_ROUTING_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(
      `Invalid configuration: ALERT_ROUTES_FILE ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  try {
    return loadRoutingConfig(text, file);
  } catch (e) {
    throw new ConfigError(`Invalid configuration: ALERT_ROUTES_FILE ${(e as Error).message}`);
  }
}
