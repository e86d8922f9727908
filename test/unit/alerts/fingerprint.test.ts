import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareUtf8, sortedLabelNames } from "../../../src/alerts/fingerprint.js";

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("label name order", () => {
  it("is UTF-8 byte order for any strings (astral characters and lone surrogates included)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
        expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(byBytes(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("sorts names above U+FFFF after U+FFFF-range names, as Go does", () => {
    expect(sortedLabelNames({ "\u{1F600}": "1", "\uFF21": "2", a: "3" })).toEqual(["a", "\uFF21", "\u{1F600}"]);
  });
});
