import { describe, expect, it } from "vitest";
import { channelName, suffixAfterTaken } from "../../src/incidents/naming.js";

const input = { id: 7, title: "x".repeat(150), declaredAt: new Date("2026-11-23T09:00:00Z"), timezone: "UTC" };

describe("channel names", () => {
  it("keeps every suffix within 80 characters by shortening the slug", () => {
    for (const suffix of [1, 2, 99, 12_345, 987_654_321]) {
      const name = channelName(input, suffix);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name.startsWith("inc-20261123-xxx")).toBe(true);
      if (suffix > 1) expect(name.endsWith(`-${suffix}`)).toBe(true);
    }
  });

  it("steps by one after the first name_taken answers, then jumps further each time", () => {
    expect(suffixAfterTaken(5, 1)).toBe(6);
    expect(suffixAfterTaken(6, 2)).toBe(7);
    expect(suffixAfterTaken(7, 3, () => 0.99)).toBe(9);
    expect(suffixAfterTaken(7, 10, () => 0.99)).toBe(7 + 1 + Math.floor(0.99 * 256));
    expect(suffixAfterTaken(7, 10, () => 0)).toBe(8); // always forward, never back to a name already refused
    expect(suffixAfterTaken(1, 100, () => 0.999_999)).toBeLessThanOrEqual(1 + 2 ** 20); // bounded jump
  });
});
