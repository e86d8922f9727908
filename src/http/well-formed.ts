/**
 * Text that PostgreSQL can store: NUL and lone UTF-16 surrogates become U+FFFD (PostgreSQL refuses both in
 * text and jsonb). Everything else, valid surrogate pairs included, is kept as it is.
 */
export function wellFormed(s: string): string {
  const noNul = s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s;
  return noNul.isWellFormed() ? noNul : noNul.toWellFormed();
}

export class TooDeepError extends Error {
  constructor(readonly limit: number) {
    super(`nested more than ${limit} levels deep`);
  }
}

/**
 * A parsed JSON value with every string and key made `wellFormed`, or throws TooDeepError past `maxDepth`
 * (the walk recurses, so a hostile nesting must stop it before the stack does).
 */
export function wellFormedDeep(value: unknown, maxDepth = 64, depth = 0): unknown {
  if (typeof value === "string") return wellFormed(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= maxDepth) throw new TooDeepError(maxDepth);
  if (Array.isArray(value)) return value.map((v) => wellFormedDeep(v, maxDepth, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty: a `__proto__` key stays an ordinary own key, as JSON.parse made it.
    Object.defineProperty(out, wellFormed(k), { value: wellFormedDeep(v, maxDepth, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
