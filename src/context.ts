import type { ChatPort } from "./chat/port.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { PrismaClient } from "./db.js";
import type { JobQueue } from "./jobs/queue.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";

/** What a use case may touch. Built once in app.ts; tests build it with a ManualClock. */
export interface AppContext {
  prisma: PrismaClient;
  jobs: JobQueue;
  chat: ChatPort;
  clock: Clock;
  config: Config;
  log: Logger;
  metrics: Metrics;
  /** Whether Slack answered auth.test (app.ts); /healthz says "degraded" while it does not. Unset: assumed reachable. */
  slackHealth?: { reachable: boolean };
}
