import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayHoldIllFormed, wellFormedJson, wellFormedString } from "../../../src/text/well-formed.js";

/** NUL or a surrogate that is not half of a pair: what the database refuses. */
const illFormed = (s: string) => s.includes("\u0000") || !(s as string & { isWellFormed(): boolean }).isWellFormed();

function everyString(value: unknown, visit: (s: string) => void): void {
  if (typeof value === "string") return visit(value);
  if (!value || typeof value !== "object") return;
  for (const [k, v] of Object.entries(value)) {
    visit(k);
    everyString(v, visit);
  }
}

/** Any UTF-16 unit, NUL and surrogates weighted up. */
const unit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom("\u0000", "a", "😀"),
);

/** Writes JSON the way different senders do: each character raw or as a \uXXXX escape, hex in either case. */
function senderJson(value: unknown, escapeAll: boolean, upper: boolean): string {
  const str = (s: string) =>
    `"${[...s]
      .flatMap((ch) => (ch.length === 2 ? [ch[0], ch[1]] : [ch]))
      .map((ch) => {
        const code = ch.charCodeAt(0);
        const mustEscape = code < 0x20 || ch === '"' || ch === "\\" || (code >= 0xd800 && code <= 0xdfff && !escapeAll ? true : false);
        if (!mustEscape && !escapeAll) return ch;
        const hex = code.toString(16).padStart(4, "0");
        return `\\u${upper ? hex.toUpperCase() : hex}`;
      })
      .join("")}"`;
  const write = (v: unknown): string => {
    if (typeof v === "string") return str(v);
    if (Array.isArray(v)) return `[${v.map(write).join(",")}]`;
    if (v && typeof v === "object")
      return `{${Object.entries(v)
        .map(([k, x]) => `${str(k)}:${write(x)}`)
        .join(",")}}`;
    return JSON.stringify(v);
  };
  return write(value);
}

describe("well-formed alert JSON", () => {
  it("replaces NUL and lone surrogates with U+FFFD and keeps pairs", () => {
    expect(wellFormedString("a\u0000b")).toBe("a\uFFFDb");
    expect(wellFormedString("x\ud800y\udc00")).toBe("x\uFFFDy\uFFFD");
    expect(wellFormedString("\ud83d\ude00")).toBe("😀");
    const same = "plain";
    expect(wellFormedString(same)).toBe(same);
  });

  it("cleans keys in place, keeps their order and keeps __proto__ an own key", () => {
    const value = JSON.parse(String.raw`{"a":1,"b\u0000":{"__proto__":{"x\ud800":"\u0000"}},"c":["\udfff"]}`);
    const out = wellFormedJson(value);
    expect(out).toBe(value);
    expect(Object.keys(out)).toEqual(["a", "b\uFFFD", "c"]);
    const inner = out["b\uFFFD"];
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(Object.keys(inner)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(inner, "__proto__")?.value).toEqual({ "x\uFFFD": "\uFFFD" });
    expect(out.c).toEqual(["\uFFFD"]);
    expect(wellFormedJson("\u0000")).toBe("\uFFFD");
  });

  it("walks nesting far deeper than the call stack", () => {
    const depth = 200_000;
    const value = JSON.parse(`${'{"k\\u0000":['.repeat(depth)}"\\u0000"${"]}".repeat(depth)}`);
    let node: any = wellFormedJson(value);
    for (let i = 0; i < depth; i++) node = node["k\uFFFD"][0];
    expect(node).toBe("\uFFFD");
  });

  it("the text test never misses: a body without a suspect escape parses clean; with one, the walk cleans it", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: unit, maxDepth: 3 }), fc.boolean(), fc.boolean(), (value, escapeAll, upper) => {
        const text = senderJson(value, escapeAll, upper);
        const parsed = JSON.parse(text);
        if (!mayHoldIllFormed(text)) everyString(parsed, (s) => expect(illFormed(s)).toBe(false));
        everyString(wellFormedJson(parsed), (s) => expect(illFormed(s)).toBe(false));
      }),
      { numRuns: 300 },
    );
  });

  it("a clean body with no escapes is not walked", () => {
    expect(
      mayHoldIllFormed(JSON.stringify({ title: "PSI 0.31 😀 é", labels: { a: "\\u0000 as text" } }).replace("\\\\u0000", "u0000")),
    ).toBe(false);
    expect(mayHoldIllFormed(String.raw`{"a":"\u00e9\u0041"}`)).toBe(false);
    expect(mayHoldIllFormed(String.raw`{"a":"\u0000"}`)).toBe(true);
    expect(mayHoldIllFormed(String.raw`{"a":"\uDBFF"}`)).toBe(true);
    expect(mayHoldIllFormed(String.raw`{"a":"\ud83d\ude00"}`)).toBe(true);
  });
});
