import { describe, expect, it } from "vitest";
import { clockMetText, durationText } from "../../../src/clocks/kinds.js";

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 9, 0, 0) + s * 1000);
const clock = (target: number) => ({ startedAt: at(0), dueAt: at(target), targetSeconds: target });

describe("clock met text", () => {
  it("says how late a met clock was against its target, in words", () => {
    expect(clockMetText("ack", clock(300), at(480))).toBe("Acknowledged 3 minutes late (target 5 minutes)");
    expect(clockMetText("mitigate", clock(900), at(901))).toBe("Mitigated 1 second late (target 15 minutes)");
    expect(clockMetText("leadership_summary", clock(86400), at(90000))).toBe("Leadership summary sent 1 hour late (target 24 hours)");
  });

  it("says it was within the target otherwise, with the time it took", () => {
    expect(clockMetText("ack", clock(300), at(120))).toBe("Acknowledged within the 5 minutes target (2 minutes)");
    expect(clockMetText("product_update", clock(1800), at(1800))).toBe(
      "Product / business update sent within the 30 minutes target (30 minutes)",
    );
  });

  it("words durations", () => {
    expect([0, 1, 59, 60, 90, 3600, 5400, 86400].map(durationText)).toEqual([
      "0 seconds",
      "1 second",
      "59 seconds",
      "1 minute",
      "2 minutes",
      "1 hour",
      "90 minutes",
      "24 hours",
    ]);
  });
});
