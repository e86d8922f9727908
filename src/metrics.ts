import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** One registry per app instance (tests run several apps in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    commands: new Counter({
      name: "bot_commands_total",
      help: "Slash commands handled, by command, subcommand and outcome",
      labelNames: ["command", "subcommand", "outcome"] as const,
      registers: [registry],
    }),
    slackCalls: new Counter({
      name: "bot_slack_calls_total",
      help: "Slack Web API calls by method and outcome (ok, slack error code, http_429, http_5xx, network)",
      labelNames: ["method", "outcome"] as const,
      registers: [registry],
    }),
    slackCallSeconds: new Histogram({
      name: "bot_slack_call_seconds",
      help: "Slack Web API call latency including retries and pacing",
      labelNames: ["method"] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    openIncidents: new Gauge({
      name: "bot_open_incidents",
      help: "Incidents not yet resolved",
      registers: [registry],
    }),
    alerts: new Counter({
      name: "bot_alerts_total",
      help: "Alerts received by source and outcome (new, repeat, rejected, silenced, incident)",
      labelNames: ["source", "outcome"] as const,
      registers: [registry],
    }),
    jobs: new Counter({
      name: "bot_jobs_total",
      help: "Background jobs by queue and outcome",
      labelNames: ["queue", "outcome"] as const,
      registers: [registry],
    }),
    clockNudges: new Counter({
      name: "bot_clock_messages_total",
      help: "Clock nudges and escalations posted",
      labelNames: ["clock", "kind"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
