import { AsyncLocalStorage } from "node:async_hooks";
import type { PGlite } from "@electric-sql/pglite";

/**
 * PGlite is one PostgreSQL session running in WebAssembly on the event loop: every statement and every
 * transaction runs alone, in the order they asked. Two things follow under load (dozens of incidents being
 * provisioned) and both made a slash command wait a second for its ack:
 *  - a command's one short transaction queued behind every background job's statements, FIFO;
 *  - PGlite hands its lock from one waiter to the next in promise callbacks, so a queue of statements runs
 *    back to back without giving Node a turn to read the sockets: a new request was not even read.
 *
 * The gate in front of PGlite fixes both: work started by a request (`inForeground`) goes before background
 * work (jobs, timers), and between two holders Node gets one turn of its event loop (setImmediate), so a
 * request that arrived meanwhile is read and can take the next turn. PostgreSQL has a pool and needs none.
 */
const lane = new AsyncLocalStorage<"foreground">();

/** Runs `fn` (and everything it awaits) as request work: it goes before background work at the PGlite gate. */
export function inForeground<T>(fn: () => T): T {
  return lane.run("foreground", fn);
}

export function isForeground(): boolean {
  return lane.getStore() === "foreground";
}

export class PriorityGate {
  private held = false;
  private scheduled = false;
  private readonly foreground: (() => void)[] = [];
  private readonly background: (() => void)[] = [];

  /**
   * Resolves when the caller holds the gate; it must call release() exactly once. The gate is always handed
   * over on a later turn of the event loop (setImmediate), even when free: a burst of requests read in one
   * turn is all read and acknowledged before any of them runs its database work.
   */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      (isForeground() ? this.foreground : this.background).push(resolve);
      this.schedule();
    });
  }

  release(): void {
    this.held = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.held || this.scheduled || (this.foreground.length === 0 && this.background.length === 0)) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.held) return;
      const next = this.foreground.shift() ?? this.background.shift();
      if (!next) return;
      this.held = true;
      next();
    });
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  get waiting(): { foreground: number; background: number } {
    return { foreground: this.foreground.length, background: this.background.length };
  }
}

const gated = new WeakSet<PGlite>();

/**
 * Puts the gate in front of the instance's top-level `query`, `exec` and `transaction` (what Prisma's adapter,
 * pg-boss and the migrator call). Statements inside a transaction go through the transaction's own object and
 * are not gated again. Idempotent.
 */
export function gatePGlite(db: PGlite): PGlite {
  if (gated.has(db)) return db;
  gated.add(db);
  const gate = new PriorityGate();
  const query = db.query.bind(db);
  const exec = db.exec.bind(db);
  const transaction = db.transaction.bind(db);
  Object.assign(db, {
    query: (...args: Parameters<PGlite["query"]>) => gate.run(() => query(...args)),
    exec: (...args: Parameters<PGlite["exec"]>) => gate.run(() => exec(...args)),
    transaction: (...args: Parameters<PGlite["transaction"]>) => gate.run(() => transaction(...args)),
  });
  return db;
}
