import { describe, expect, it } from "vitest";
import { proposeReviewFacts, type ReviewFactsInput } from "../../../src/reviews/review-facts.js";

const t = (hhmm: string) => new Date(`2026-11-19T${hhmm}:00Z`);
const clock = (kind: string, targetSeconds: number, p: Partial<ReviewFactsInput["clocks"][number]> = {}) => ({
  kind,
  targetSeconds,
  startedAt: t("09:00"),
  dueAt: new Date(t("09:00").getTime() + targetSeconds * 1000),
  metAt: null,
  stoppedAt: null,
  nudgedAt: null,
  breached: false,
  ...p,
});

const base: ReviewFactsInput = {
  detectedAt: t("09:00"),
  mitigatedAt: t("09:12"),
  declaredBy: "alert:alertmanager",
  mitigateTargetSeconds: 900,
  clocks: [],
  alerts: [],
  stakeholderUpdates: 2,
  playbook: { total: 10, open: 0, unowned: 0 },
};

describe("proposed review facts", () => {
  it("credits what met its target", () => {
    const f = proposeReviewFacts({
      ...base,
      clocks: [clock("ack", 300, { metAt: t("09:03") }), clock("mitigate", 900, { metAt: t("09:12") })],
    });
    expect(f.wentWell).toEqual([
      "Detected automatically by the alertmanager alert",
      "Mitigation (rollback) applied 12 minutes after detection, within the 15 minutes target",
      "Acknowledge within the 5 minutes target (3 minutes)",
      "2 stakeholder updates sent",
      "Every playbook item was done or marked N/A",
    ]);
    expect(f.wentPoorly).toEqual([]);
  });

  it("names breaches, noisy alerts, missing updates and open items", () => {
    const f = proposeReviewFacts({
      ...base,
      declaredBy: "UDECL",
      mitigatedAt: null,
      clocks: [
        clock("ack", 300, { metAt: t("09:09"), nudgedAt: t("09:05") }),
        clock("leadership_summary", 86400, { breached: true }),
        clock("product_update", 1800, { stoppedAt: t("09:20") }), // stopped before its deadline: no judgement
      ],
      alerts: [{ title: "PSI high", source: "alertmanager", count: 12 }],
      stakeholderUpdates: 0,
      playbook: { total: 10, open: 3, unowned: 1 },
    });
    expect(f.wentWell).toEqual([]);
    expect(f.wentPoorly).toEqual([
      "No mitigation time was recorded (`/incident status mitigated`)",
      "Acknowledge missed the 5 minutes target (took 9 minutes)",
      "Leadership summary missed the 24 hours target",
      'Alert "PSI high" (alertmanager) was noisy: received 12 times',
      "No stakeholder update was sent (`/incident update`)",
      "3 playbook items left open",
      "1 playbook item never had an owner",
    ]);
  });
});
