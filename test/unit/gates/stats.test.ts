import { describe, expect, it } from "vitest";
import { abTest, normalCdf, normalInverseCdf, sampleSizePerGroup } from "../../../src/gates/stats.js";

describe("normal distribution", () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.959963984540054, 0.975],
    [2, 0.9772498680518208],
    [-3, 0.0013498980316301],
    [4, 0.9999683287581669],
  ])("Φ(%d) within 1e-6", (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-6);
  });

  it.each([
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489],
    [0.001, -3.090232306167813],
  ])("Φ⁻¹(%d) within 1e-6", (p, expected) => {
    expect(Math.abs(normalInverseCdf(p) - expected)).toBeLessThan(1e-6);
  });

  it("round-trips across the range", () => {
    for (let x = -5; x <= 5; x += 0.25) expect(normalInverseCdf(normalCdf(x))).toBeCloseTo(x, 5);
  });

  it("refuses probabilities outside (0, 1)", () => {
    expect(() => normalInverseCdf(0)).toThrow(/strictly between 0 and 1/);
    expect(() => normalInverseCdf(1)).toThrow(/strictly between 0 and 1/);
  });
});

describe("abTest", () => {
  it("reproduces the seed's worked example 450/5000 vs 510/5000", () => {
    const r = abTest(450, 5000, 510, 5000);
    expect(r.controlRate).toBeCloseTo(0.09, 10);
    expect(r.treatmentRate).toBeCloseTo(0.102, 10);
    expect(r.absoluteLift).toBeCloseTo(0.012, 10);
    expect(r.relativeLift!).toBeCloseTo(0.133333, 5);
    // pooled p = 0.096, SE = sqrt(0.096·0.904·(2/5000)) = 0.0058918
    expect(r.pooledStandardError).toBeCloseTo(0.0058918, 6);
    expect(r.z).toBeCloseTo(2.0367, 4);
    expect(r.pValue).toBeCloseTo(0.04168, 4);
    // unpooled SE = sqrt(.09·.91/5000 + .102·.898/5000) = 0.0058906; 0.012 ± 1.96·SE
    expect(r.standardError).toBeCloseTo(0.0058906, 6);
    expect(r.confidenceInterval.lower).toBeCloseTo(0.000455, 5);
    expect(r.confidenceInterval.upper).toBeCloseTo(0.023545, 5);
    expect(r.confidenceLevel).toBe(0.95);
    expect(r.significant).toBe(true);
    expect(r.decision).toBe("SHIP");
    expect(r.reason).toMatch(/significant gain: \+13\.3% conversion lift \(p = 0\.0417/);
  });

  it("is inconclusive at a stricter alpha", () => {
    const r = abTest(450, 5000, 510, 5000, { alpha: 0.01 });
    expect(r.decision).toBe("INCONCLUSIVE");
    expect(r.confidenceLevel).toBeCloseTo(0.99, 10);
    expect(r.confidenceInterval.lower).toBeLessThan(0);
    expect(r.reason).toMatch(/not significant/);
  });

  it("kills a significant decline", () => {
    const r = abTest(510, 5000, 450, 5000);
    expect(r.z).toBeCloseTo(-2.0367, 4);
    expect(r.decision).toBe("KILL");
    expect(r.reason).toMatch(/significant decline/);
  });

  it("applies minLift: short of it is inconclusive, confidently below it is a kill", () => {
    const short = abTest(450, 5000, 510, 5000, { minLift: 0.2 });
    expect(short.decision).toBe("INCONCLUSIVE");
    expect(short.reason).toMatch(/below the required \+20\.0%/);
    expect(abTest(450, 5000, 510, 5000, { minLift: 0.05 }).decision).toBe("SHIP");
    const hopeless = abTest(4500, 50000, 4550, 50000, { minLift: 0.1 });
    expect(hopeless.confidenceInterval.upper).toBeLessThan(0.009);
    expect(hopeless.decision).toBe("KILL");
  });

  it("treats no variance as no evidence", () => {
    const r = abTest(0, 100, 0, 100);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
    expect(r.relativeLift).toBeNull();
    expect(r.decision).toBe("INCONCLUSIVE");
  });

  it.each([
    [[10, 5, 1, 10], /control conversions \(10\) cannot exceed control total \(5\)/],
    [[1, 10, 11, 10], /treatment conversions \(11\) cannot exceed treatment total \(10\)/],
    [[0, 0, 1, 10], /control total must be greater than 0/],
    [[-1, 10, 1, 10], /control conversions must be a whole number/],
    [[1.5, 10, 1, 10], /control conversions must be a whole number/],
  ] as const)("refuses bad counts %j", (args, message) => {
    expect(() => abTest(args[0], args[1], args[2], args[3])).toThrow(message);
  });

  it("refuses a bad alpha", () => {
    expect(() => abTest(1, 10, 1, 10, { alpha: 1.5 })).toThrow(/alpha must be strictly between 0 and 1/);
  });
});

describe("sampleSizePerGroup", () => {
  it("matches the seed's rule of thumb: about 15,000 per group for 10 % → 11 %", () => {
    const n = sampleSizePerGroup(0.1, 0.11);
    expect(n).toBe(14749);
    expect(Math.abs(n - 15000) / 15000).toBeLessThanOrEqual(0.05);
  });

  it("grows with confidence and power and shrinks with the effect", () => {
    expect(sampleSizePerGroup(0.1, 0.11, 0.99)).toBeGreaterThan(sampleSizePerGroup(0.1, 0.11));
    expect(sampleSizePerGroup(0.1, 0.11, 0.95, 0.9)).toBeGreaterThan(sampleSizePerGroup(0.1, 0.11));
    expect(sampleSizePerGroup(0.1, 0.12)).toBeLessThan(sampleSizePerGroup(0.1, 0.11));
    expect(sampleSizePerGroup(0.11, 0.1)).toBe(sampleSizePerGroup(0.1, 0.11));
  });

  it.each([
    [[0, 0.1], /baseline rate must be strictly between 0 and 1/],
    [[0.1, 1], /expected rate must be strictly between 0 and 1/],
    [[0.1, 0.1], /must differ from the baseline/],
    [[0.1, 0.11, 95], /confidence must be strictly between 0 and 1/],
    [[0.1, 0.11, 0.95, 0], /power must be strictly between 0 and 1/],
  ] as const)("refuses %j", (args, message) => {
    expect(() => sampleSizePerGroup(...(args as unknown as [number, number, number?, number?]))).toThrow(message);
  });
});
