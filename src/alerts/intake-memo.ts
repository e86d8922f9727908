import type { NormalizedAlert } from "./normalize.js";
import type { RejectedAlert } from "./issues.js";

export type AcceptedBody = { alerts: NormalizedAlert[]; rejected: RejectedAlert[]; received: number };

/**
 * Recently accepted request bodies and what parsing, validating and normalising them gave. Senders re-send the
 * same body again and again (Alertmanager every `group_interval`/`repeat_interval` while a group fires, every
 * sender on a retry, a storm of one failing check), and the result depends only on the bytes and the route
 * (normalising reads no clock and the options are fixed at start-up), so a byte-identical body is not parsed
 * again. Authentication, content type and size are still checked on every request before the memo is asked.
 *
 * Bounded by entries and by bytes; least recently used first out. Results are frozen: they are shared by every
 * request that sends those bytes.
 */
export class IntakeMemo {
  private readonly entries = new Map<string, AcceptedBody>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 256,
    private readonly maxBytes = 2 * 1024 * 1024,
    private readonly maxBodyBytes = 64 * 1024,
  ) {}

  get(route: string, body: Buffer): AcceptedBody | undefined {
    if (body.length > this.maxBodyBytes) return undefined;
    const key = keyOf(route, body);
    const hit = this.entries.get(key);
    if (hit) {
      // most recently used goes last
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  remember(route: string, body: Buffer, result: AcceptedBody): AcceptedBody {
    if (body.length > this.maxBodyBytes) return result;
    const key = keyOf(route, body);
    if (this.entries.has(key)) return result;
    const frozen = deepFreeze({ alerts: result.alerts, rejected: result.rejected, received: result.received });
    this.entries.set(key, frozen);
    this.bytes += key.length;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= oldest.length;
    }
    return frozen;
  }

  get size(): number {
    return this.entries.size;
  }
}

// latin1 maps every byte to one character: cheap, and two keys are equal exactly when the bytes are.
const keyOf = (route: string, body: Buffer) => `${route}\u0000${body.toString("latin1")}`;

/** Iterative: an alert's raw payload (PagerDuty custom_details) may nest far deeper than the call stack. */
function deepFreeze<T>(value: T): T {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node && typeof node === "object" && !Object.isFrozen(node) && !(node instanceof Date)) {
      Object.freeze(node);
      for (const child of Object.values(node)) stack.push(child);
    }
  }
  return value;
}
