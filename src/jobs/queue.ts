import PgBoss from "pg-boss";
// @ts-expect-error: pg-boss ships no types for its SQL plans (used to recognise two statements, see below)
import plans from "pg-boss/src/plans.js";
import { parseIntoClientConfig } from "pg-connection-string";
import type { Db } from "../db.js";
import { pgBossDbForPGlite } from "../db/pgboss.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics.js";
import { InFlight } from "../in-flight.js";
import { type JobData, JobPayloadError, parseJobData, type QueueKey, QUEUES } from "./payloads.js";

export { type JobData, JobPayloadError, type QueueKey, QUEUES } from "./payloads.js";

/** Anything that can run raw SQL inside a Prisma transaction (an interactive `tx`). */
export interface RawTx {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface SendOptions {
  startAfter?: Date | number;
  singletonKey?: string;
  retryLimit?: number;
}

export type JobHandler<K extends QueueKey> = (data: JobData<K>, meta: { id: string; retryCount: number }) => Promise<void>;

const RETRY = { retryLimit: 12, retryDelay: 1, retryBackoff: true, expireInSeconds: 120 };

export class JobQueue {
  private readonly running = new InFlight();
  /** Set when the app starts stopping: /readyz then answers 503 (see http/routes.ts). */
  draining = false;

  private constructor(
    readonly boss: PgBoss,
    private readonly schema: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly pollSeconds: number,
  ) {}

  static async start(db: Db, opts: { schema?: string; pollSeconds: number; log: Logger; metrics: Metrics }): Promise<JobQueue> {
    const schema = opts.schema ?? "pgboss";
    const common = {
      schema,
      supervise: true,
      schedule: false, // no cron here: deadlines are our own rows, woken with startAfter jobs
    };
    let boss: PgBoss;
    if (db.target.driver === "pg") {
      const { schema: _appSchema, ...cfg } = parseIntoClientConfig(db.target.url) as Record<string, unknown>;
      boss = new PgBoss({ ...(cfg as PgBoss.DatabaseOptions), ...common, max: 4 });
    } else {
      // One PGlite serves Prisma and pg-boss (never open two instances on one directory).
      boss = new PgBoss({ db: pgBossDbForPGlite(db.pglite!), ...common });
    }
    boss.on("error", (e) => opts.log.error({ err: e }, "job queue error"));
    survivesLostCompletions(boss.getDb(), schema, opts.log);
    await boss.start();
    for (const q of Object.values(QUEUES)) {
      await boss.createQueue(q.name, { name: q.name, policy: q.policy, ...RETRY });
    }
    return new JobQueue(boss, schema, opts.log, opts.metrics, opts.pollSeconds);
  }

  /**
   * Enqueue inside the caller's transaction: the job exists if and only if the state change commits.
   * A payload that does not match the queue's schema throws JobPayloadError (and so rolls the transaction back).
   */
  async sendInTx<K extends QueueKey>(tx: RawTx, queue: K, data: JobData<K>, options: SendOptions = {}): Promise<void> {
    parseJobData(queue, data);
    const db: PgBoss.Db = {
      executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...(values ?? [])) }),
    };
    await this.boss.send(QUEUES[queue].name, data, { ...toBossOptions(options), db } as PgBoss.SendOptions);
  }

  /** Enqueue now. A payload that does not match the queue's schema throws JobPayloadError. */
  async send<K extends QueueKey>(queue: K, data: JobData<K>, options: SendOptions = {}): Promise<void> {
    parseJobData(queue, data);
    await this.boss.send(QUEUES[queue].name, data, toBossOptions(options));
  }

  /**
   * Runs up to `batchSize` jobs of the queue at once (Slack calls are slow; one at a time would serialise
   * every incident behind the previous one). A failed job is failed on its own, so pg-boss retries only it.
   */
  async work<K extends QueueKey>(queue: K, handler: JobHandler<K>, batchSize = 8): Promise<void> {
    const name = QUEUES[queue].name;
    await this.boss.work<object>(name, { pollingIntervalSeconds: this.pollSeconds, batchSize, includeMetadata: true }, async (jobs) => {
      await Promise.all(
        jobs.map(async (job) => {
          let data: JobData<K>;
          try {
            data = parseJobData(queue, job.data);
          } catch (err) {
            await this.refuse(name, job.id, err as JobPayloadError);
            return;
          }
          try {
            await this.running.track(() => handler(data, { id: job.id, retryCount: job.retryCount }));
            this.metrics.jobs.inc({ queue: name, outcome: "ok" });
          } catch (err) {
            this.metrics.jobs.inc({ queue: name, outcome: "retry" });
            this.log.warn({ err, queue: name, jobId: job.id, retryCount: job.retryCount }, "job failed; will retry");
            // Only this job goes back for a retry with backoff; pg-boss completes the others (still active).
            await this.boss.fail(name, job.id, { message: (err as Error)?.message ?? String(err) }).catch(() => {});
          }
        }),
      );
    });
  }

  /** A payload its schema refuses never runs and is not retried (a retry cannot fix it): logged, then failed for good. */
  private async refuse(name: string, jobId: string, err: JobPayloadError): Promise<void> {
    this.metrics.jobs.inc({ queue: name, outcome: "invalid" });
    this.log.error({ err, queue: name, jobId }, "job payload refused by its schema; failed without retry");
    try {
      await this.boss
        .getDb()
        .executeSql(`UPDATE "${this.schema}".job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [name, jobId]);
      await this.boss.fail(name, jobId, { message: err.message });
    } catch (e) {
      this.log.warn({ err: e, queue: name, jobId }, "could not fail a refused job");
    }
  }

  /**
   * Which of these ids already have a job waiting (created or retry) in the queue, by a numeric field of
   * the job data. Lets a reconciler re-queue lost work without piling duplicates behind a long queue.
   */
  async waitingIds(queue: QueueKey, field: string, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const { rows } = await this.boss.getDb().executeSql(
      `SELECT DISTINCT (data->>'${field.replace(/[^a-zA-Z]/g, "")}')::int AS id FROM "${this.schema}".job
        WHERE name = $1 AND state IN ('created', 'retry') AND (data->>'${field.replace(/[^a-zA-Z]/g, "")}')::int = ANY($2::int[])`,
      [QUEUES[queue].name, ids],
    );
    return new Set(rows.map((r: { id: number }) => Number(r.id)));
  }

  /** Stops fetching, then lets running handlers finish (up to `timeoutMs` in all) before the database closes. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    await this.boss.stop({ graceful: true, wait: true, timeout: Math.min(5000, timeoutMs) });
    if (!(await this.running.settled(Math.max(0, timeoutMs - (Date.now() - started))))) {
      this.log.warn({ running: this.running.size }, "stopping with jobs still running; they run again after the restart");
    }
  }
}

/**
 * pg-boss 10 records a finished batch fire-and-forget (`this.complete(...)` / `this.fail(...)` without await or
 * catch): when the database is unreachable at that moment the rejection is unhandled, and Node's default ends
 * the process. Those two statements are recognised by their exact SQL and a failure is logged instead. The
 * job stays active until it expires and pg-boss runs it again (handlers are idempotent); nothing is lost.
 */
function survivesLostCompletions(db: PgBoss.Db, schema: string, log: Logger): void {
  const fireAndForget = new Set([plans.completeJobs(schema), plans.failJobsById(schema)]);
  const executeSql = db.executeSql.bind(db);
  db.executeSql = (text, values) => {
    const p = executeSql(text, values);
    if (!fireAndForget.has(text)) return p;
    return p.catch((err) => {
      log.warn({ err }, "could not record a finished job; it runs again when it expires");
      return { rows: [{ count: "0" }] };
    });
  };
}

function toBossOptions(o: SendOptions): PgBoss.SendOptions {
  const out: PgBoss.SendOptions = {};
  if (o.startAfter !== undefined) out.startAfter = o.startAfter;
  if (o.singletonKey) out.singletonKey = o.singletonKey;
  if (o.retryLimit !== undefined) out.retryLimit = o.retryLimit;
  return out;
}
