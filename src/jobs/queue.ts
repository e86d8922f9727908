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
/** An idle loop fetches on its own after this many poll intervals even if the due poll never woke it. */
const IDLE_BACKSTOP_POLLS = 30;

/** One worker loop as the queue sees it: how to wake it, and whether it naps for want of jobs. */
interface Waker {
  queue: QueueKey;
  wake?: () => void;
  /** A wake that came while the loop was fetching: that fetch may have missed the commit, so the next nap is skipped. */
  kicked?: boolean;
  idle?: boolean;
}

function kick(w: Waker): void {
  if (w.wake) w.wake();
  else w.kicked = true;
}

export class JobQueue {
  private readonly running = new InFlight();
  private readonly loops: Promise<void>[] = [];
  /** Each loop's waker; `kicked` keeps a wake that arrives while the loop is fetching for its next nap. */
  private readonly wakers = new Set<Waker>();
  /** The one poll that finds which idle queues have a job due (see duePoll), started with the first loop. */
  private duePolling?: Promise<void>;
  private wakeDuePoll?: () => void;
  /** Jobs being worked here (id → queue name): failed at a stop that outlasts them, so they retry at once elsewhere. */
  private readonly activeJobs = new Map<string, string>();
  private stopping = false;
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

  /**
   * A job of `queue` was just committed (sendInTx): this process's idle worker of the queue fetches now instead of
   * at its next poll. Other replicas still find it at their poll; nothing depends on this but latency.
   */
  wake(queue: QueueKey): void {
    for (const w of this.wakers) if (w.queue === queue) kick(w);
  }

  /** Enqueue now. A payload that does not match the queue's schema throws JobPayloadError. */
  async send<K extends QueueKey>(queue: K, data: JobData<K>, options: SendOptions = {}): Promise<void> {
    parseJobData(queue, data);
    await this.boss.send(QUEUES[queue].name, data, toBossOptions(options));
  }

  /**
   * Runs up to `concurrency` jobs of the queue at once, topping up as each one finishes: a slow job (a Slack
   * call waiting on its rate tier) never holds back the next ones, as a whole fetched batch would. Each job is
   * completed or failed on its own, so pg-boss retries only the failed one.
   */
  async work<K extends QueueKey>(queue: K, handler: JobHandler<K>, concurrency = 8): Promise<void> {
    this.loops.push(this.loop(queue, handler, concurrency));
    this.duePolling ??= this.duePoll();
  }

  /**
   * Every poll interval, one statement asks which of the idle loops' queues have a job due (new, retried, or
   * one whose start time has come) and wakes only those. Each idle loop asking on its own cost one fetch per
   * queue per interval (about thirty), which on the embedded database's single connection queue in front of
   * the work. A failed ask wakes every idle loop: their own fetches then meet (and survive) the error.
   */
  private async duePoll(): Promise<void> {
    const sql = `SELECT q.name FROM unnest($1::text[]) AS q(name) WHERE EXISTS (SELECT 1 FROM "${this.schema}".job j
      WHERE j.name = q.name AND j.state < 'active' AND j.start_after < now())`;
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollSeconds * 1000);
        this.wakeDuePoll = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeDuePoll = undefined;
      if (this.stopping) break;
      const idle = [...this.wakers].filter((w) => w.idle);
      if (idle.length === 0) continue;
      let due: Set<string> | undefined;
      try {
        const { rows } = await this.boss.getDb().executeSql(sql, [[...new Set(idle.map((w) => QUEUES[w.queue].name))]]);
        due = new Set(rows.map((r: { name: string }) => r.name));
      } catch {
        due = undefined;
      }
      for (const w of idle) if (!due || due.has(QUEUES[w.queue].name)) kick(w);
    }
  }

  private async loop<K extends QueueKey>(queue: K, handler: JobHandler<K>, concurrency: number): Promise<void> {
    const name = QUEUES[queue].name;
    let active = 0;
    const waker: Waker = { queue };
    this.wakers.add(waker);
    const nap = (ms: number, idle = false) =>
      new Promise<void>((resolve) => {
        if (waker.kicked) {
          waker.kicked = false;
          resolve();
          return;
        }
        const done = () => {
          clearTimeout(timer);
          waker.wake = undefined;
          waker.idle = false;
          resolve();
        };
        const timer = setTimeout(done, ms);
        waker.wake = done;
        waker.idle = idle;
      });
    try {
      while (!this.stopping) {
        if (active >= concurrency) {
          await nap(this.pollSeconds * 1000); // woken as soon as one finishes
          continue;
        }
        // pg-boss's fetch returns [] on a database error too: the loop naps, and the due poll (failing too) wakes it.
        const jobs = await this.boss.fetch<object>(name, { batchSize: concurrency - active, includeMetadata: true });
        if (this.stopping) {
          await Promise.all(jobs.map((j) => this.boss.fail(name, j.id, { message: "stopping" }).catch(() => {})));
          break;
        }
        if (jobs.length === 0) {
          // Woken by the due poll, a local send (wake) or a finished job; the long nap is only a backstop.
          await nap(IDLE_BACKSTOP_POLLS * this.pollSeconds * 1000, true);
          continue;
        }
        for (const job of jobs) {
          active++;
          this.activeJobs.set(job.id, name);
          void this.running
            .track(() => this.runOne(queue, job, handler))
            .finally(() => {
              active--;
              this.activeJobs.delete(job.id);
              waker.wake?.();
            });
        }
      }
    } finally {
      this.wakers.delete(waker);
    }
  }

  private async runOne<K extends QueueKey>(queue: K, job: PgBoss.JobWithMetadata<object>, handler: JobHandler<K>): Promise<void> {
    const name = QUEUES[queue].name;
    let data: JobData<K>;
    try {
      data = parseJobData(queue, job.data);
    } catch (err) {
      await this.refuse(name, job.id, err as JobPayloadError);
      return;
    }
    try {
      await handler(data, { id: job.id, retryCount: job.retryCount });
    } catch (err) {
      this.metrics.jobs.inc({ queue: name, outcome: "retry" });
      this.log.warn({ err, queue: name, jobId: job.id, retryCount: job.retryCount }, "job failed; will retry");
      await this.boss.fail(name, job.id, { message: (err as Error)?.message ?? String(err) }).catch(() => {});
      return;
    }
    this.metrics.jobs.inc({ queue: name, outcome: "ok" });
    // If this write is lost (the database went away), the job stays active until it expires and runs again:
    // handlers are idempotent.
    await this.boss
      .complete(name, job.id)
      .catch((err) => this.log.warn({ err, queue: name, jobId: job.id }, "could not record a finished job"));
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
    this.stopping = true;
    for (const w of this.wakers) w.wake?.();
    this.wakeDuePoll?.();
    await Promise.all([...this.loops, this.duePolling]);
    if (!(await this.running.settled(Math.max(0, timeoutMs - (Date.now() - started))))) {
      this.log.warn({ running: this.running.size }, "stopping with jobs still running; they run again after the restart");
      // Failed now, they are retried at once by another replica or the restarted process (not after their expiry).
      await Promise.all(
        [...this.activeJobs].map(([id, name]) => this.boss.fail(name, id, { message: "stopped while running" }).catch(() => {})),
      );
    }
    await this.boss.stop({ graceful: true, wait: true, timeout: 2000 });
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
