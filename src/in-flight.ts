/**
 * Counts work that has started and not finished (a request's handler after its ack, a running job), so a
 * graceful stop can let it finish before the database is closed under it. Bounded: `settled` gives up after
 * the timeout (durable work that did not finish runs again after the restart).
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  async track<T>(fn: () => Promise<T> | T): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      if (--this.count === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  get size(): number {
    return this.count;
  }

  /** true when nothing is in flight (now or within timeoutMs), false when it gave up waiting. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
