/**
 * PostgreSQL (and PGlite) refuse two things a JSON string may hold: NUL (text: 22021; jsonb: 22P05) and a lone
 * UTF-16 surrogate, which has no UTF-8 form (Prisma and the drivers cannot even send it). Both can only reach
 * an alert body as JSON escapes: the UTF-8 decoder is fatal (no raw surrogate survives it) and a raw control
 * character inside a string is invalid JSON. So a body whose text has no `\u0000` and no `\uD800`–`\uDFFF`
 * escape is clean as parsed, and only the rare rest is walked.
 *
 * A backslash before the `u` may itself be escaped (`"\\u0000"` is six plain characters): that only makes the
 * test err on the side of walking, never of skipping.
 */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** The replacement character every NUL and lone surrogate becomes. */
export const REPLACEMENT = "\uFFFD";

/** Does the JSON text hold an escape that can decode to NUL or to a surrogate (paired or not)? */
export function mayHoldIllFormed(jsonText: string): boolean {
  return SUSPECT_ESCAPE.test(jsonText);
}

type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

const isClean = (s: string) => !s.includes("\u0000") && (s as WellFormedString).isWellFormed();

/** NUL and lone surrogates → U+FFFD; paired surrogates (emoji sent as `\ud83d\ude00`) stay as they are. */
export function wellFormedString(s: string): string {
  return isClean(s) ? s : (s.replaceAll("\u0000", REPLACEMENT) as WellFormedString).toWellFormed();
}

/**
 * Replaces NUL and lone surrogates in every string and every object key of a parsed JSON value, in place
 * (the root is returned, replaced only when it is itself a string). Iterative: JSON.parse accepts nesting far
 * deeper than the call stack. Keys keep their order; a cleaned key that collides with another key of the same
 * object keeps the later value, as JSON.parse does with duplicate keys. `__proto__` stays an own property.
 */
export function wellFormedJson<T>(root: T): T {
  if (typeof root === "string") return wellFormedString(root) as T;
  if (!root || typeof root !== "object") return root;
  const stack: object[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "string") node[i] = wellFormedString(v);
        else if (v && typeof v === "object") stack.push(v);
      }
      continue;
    }
    const obj = node as Record<string, unknown>;
    let badKey = false;
    for (const key of Object.keys(obj)) {
      if (!isClean(key)) badKey = true;
      const v = obj[key];
      // An own property (even `__proto__`, which JSON.parse makes an own one) is simply overwritten.
      if (typeof v === "string") obj[key] = wellFormedString(v);
      else if (v && typeof v === "object") stack.push(v);
    }
    if (badKey) rekey(obj);
  }
  return root;
}

/** Rewrites an object's keys in place, in their order, with define (not assignment: `__proto__` stays data). */
function rekey(obj: Record<string, unknown>): void {
  const entries = Object.entries(obj);
  for (const [key] of entries) delete obj[key];
  for (const [key, value] of entries) {
    Object.defineProperty(obj, wellFormedString(key), { value, writable: true, enumerable: true, configurable: true });
  }
}

/** The first `max` UTF-16 units of a string, one fewer when the cut would split a surrogate pair. */
export function sliceUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
