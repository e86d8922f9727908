import { createHash } from "node:crypto";

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
const LABEL_SEPARATOR = 0xff; // a byte that never occurs in UTF-8

/** Label names in byte order (Go sorts UTF-8 bytes; JS sorts UTF-16 units, which differ above U+FFFF). */
export function sortedLabelNames(labels: Record<string, string>): string[] {
  return Object.keys(labels).sort(compareUtf8);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * UTF-8 byte order. Without surrogates UTF-16 unit order is code point order, which is UTF-8 byte order, so
 * the plain comparison is exact and cheap (this runs for every alert); otherwise compare the bytes.
 */
export function compareUtf8(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Alertmanager's alert fingerprint: FNV-1a 64 over the sorted `name 0xff value 0xff` bytes, 16 hex digits. */
export function labelFingerprint(labels: Record<string, string>): string {
  let hash = FNV64_OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  };
  for (const name of sortedLabelNames(labels)) {
    for (const byte of Buffer.from(name)) add(byte);
    add(LABEL_SEPARATOR);
    for (const byte of Buffer.from(labels[name])) add(byte);
    add(LABEL_SEPARATOR);
  }
  return hash.toString(16).padStart(16, "0");
}

/** sha256 hex of a canonical JSON rendering (object keys sorted), so key order never changes the key. */
export function stableHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = sortedLabelNames(obj as Record<string, string>).filter((k) => obj[k] !== undefined);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export const MAX_KEY_LENGTH = 255;

/** Keeps a sender's key when it fits the column, else replaces it with its hash (still stable). */
export function fitKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}
