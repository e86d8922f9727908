import type { App as BoltApp } from "@slack/bolt";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import type { Db } from "./db.js";
import { openDatabase } from "./db/open-database.js";
import { withStartupLock } from "./db/startup-lock.js";
import { resolveDbTarget } from "./db/target.js";
import type { Route } from "./http/routes.js";
import { JobQueue } from "./jobs/queue.js";
import { startWorkers } from "./jobs/registry.js";
import { startReconciler } from "./incidents/reconcile-incidents.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { InFlight } from "./in-flight.js";
import { createBoltApp } from "./slack/bolt-app.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import { inForeground } from "./db/pglite-gate.js";
import { SlackGateway } from "./slack/gateway.js";
import { SharedPacer } from "./slack/shared-pacing.js";
import { WIRING } from "./wiring.js";
import { checkSlackAuth } from "./slack/slack-auth.js";

export interface AppOptions {
  config: Config;
  /** An already-migrated database (tests); otherwise opened from the config and migrated. */
  db?: Db;
  clock?: Clock;
  log?: Logger;
  /** pg-boss schema; tests use one per run. */
  jobSchema?: string;
  /** How often the reconciler looks for unfinished Slack work (ms). */
  reconcileEveryMs?: number;
  /** More HTTP routes, served like the app's own (bench/alerts.ts measures the HTTP stack with them). */
  routes?: (ctx: AppContext) => Route[];
}

export interface RunningApp {
  ctx: AppContext;
  bolt: BoltApp;
  db: Db;
  port: number;
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const log = opts.log ?? createLogger(opts.config.logLevel);
  const started = performance.now();
  const requests = new InFlight();
  // Every request's work, including what runs after its ack, is counted so a graceful stop lets it finish;
  // and it goes before background jobs at the embedded database (see pglite-gate.ts).
  const requestWork = <T>(fn: () => Promise<T>): Promise<T> => requests.track(() => inForeground(fn));
  // The port opens first: while migrations run (or wait for another replica's start-up lock) /healthz, /readyz and
  // every other route answer 503 with Retry-After (routes.ts answerStarting); boot() ends that.
  const http = createHttpServer({ log, wrap: requestWork });
  const port = await http.listen(opts.config.port);
  try {
    return await boot({ opts, log, started, requests, requestWork, http, port });
  } catch (e) {
    await http.stop(0);
    throw e;
  }
}

interface Starting {
  opts: AppOptions;
  log: Logger;
  started: number;
  requests: InFlight;
  requestWork: <T>(fn: () => Promise<T>) => Promise<T>;
  http: HttpServer;
  port: number;
}

/** Everything after the port is open: database, job queue, Slack gateway, Bolt, workers; then the routes are served. */
async function boot({ opts, log, started, requests, requestWork, http, port }: Starting): Promise<RunningApp> {
  const { config } = opts;
  const metrics = createMetrics();
  // A rejected token stops here, before the database is opened; Slack not answering does not stop the bot. The probe is
  // a gateway of its own because the app's gateway paces through the database.
  const probe = new SlackGateway({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, pacing: false, log, metrics });
  const slackAuth = await checkSlackAuth(probe, config.slack.apiUrl, log);
  const identity = slackAuth.identity;
  const target = opts.db?.target ?? resolveDbTarget({ DATABASE_URL: config.databaseUrl, DATA_DIR: config.dataDir });
  // Replicas starting together on one PostgreSQL take turns for the start-up DDL (see startup-lock.ts).
  const { db, jobs } = await withStartupLock(target, async () => {
    const db = opts.db ?? (await openDatabase(target)).db;
    try {
      const jobs = await JobQueue.start(db, {
        schema: opts.jobSchema ?? config.jobSchema,
        pollSeconds: config.jobPollSeconds,
        log,
        metrics,
      });
      return { db, jobs };
    } catch (e) {
      if (!opts.db) await db.close().catch(() => {});
      throw e;
    }
  });
  // Replicas on one PostgreSQL share Slack's per-workspace budgets through the database; PGlite is one process.
  const sharedPacer = db.target.driver === "pg" ? new SharedPacer(db.prisma) : undefined;
  const chat = new SlackGateway({
    token: config.slack.botToken,
    apiUrl: config.slack.apiUrl,
    pacing: config.slack.pacing,
    sharedPacer,
    pacingWindowMs: config.slack.pacingWindowMs,
    log,
    metrics,
  });
  const ctx: AppContext = {
    prisma: db.prisma,
    jobs,
    chat,
    clock: opts.clock ?? systemClock,
    config,
    log,
    metrics,
    slackHealth: slackAuth.health,
  };

  for (const task of WIRING.beforeServe) await task(ctx);
  const { bolt, receiver } = createBoltApp(ctx, WIRING.listeners, identity, requestWork);
  const routes = [...WIRING.routes.flatMap((group) => group(ctx)), ...(opts.routes?.(ctx) ?? []), ...(receiver ? [receiver.route()] : [])];
  await startWorkers(ctx, WIRING.jobs);

  if (db.target.driver === "pglite") {
    // PGlite is single-process by construction: any lease left in the database belongs to a dead process.
    await db.prisma.incident.updateMany({ where: { provisionLease: { not: null } }, data: { provisionLease: null } });
  }
  http.serve(routes);
  if (config.slack.socketMode) await bolt.start();

  for (const task of WIRING.afterServe) await task(ctx);
  const stopReconciler = await startReconciler(ctx, opts.reconcileEveryMs ?? 5000);

  log.info(
    { port, db: db.target.driver, mode: config.slack.socketMode ? "socket" : "http", ms: Math.round(performance.now() - started) },
    "incident bot started",
  );

  let stopped = false;
  return {
    ctx,
    bolt,
    db,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      slackAuth.stop();
      // /readyz answers 503 from here on, so a load balancer stops sending before the server closes.
      jobs.draining = true;
      stopReconciler();
      // No new requests; those still being sent are cut (none of them was answered).
      const httpStopped = http.stop();
      if (config.slack.socketMode) await bolt.stop().catch(() => {});
      // A command acked just before the stop still stores its work (declare, Done, …) before the database closes.
      if (!(await requests.settled(10_000))) log.warn({ running: requests.size }, "stopping with requests still running");
      await httpStopped;
      await jobs.stop().catch((err) => log.warn({ err }, "job queue stop failed"));
      await chat.stop();
      await probe.stop();
      if (!opts.db) {
        const closed = await Promise.race([
          db.close().then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), 5000).unref()),
        ]);
        if (!closed) log.warn("the database did not close within 5 s");
      }
    },
  };
}
