import { describe, expect, it } from "vitest";
import { REVIEW_SECTIONS, renderReviewMarkdown, reviewDueDate } from "../../../src/reviews/review-template.js";
import type { ReviewInput } from "../../../src/reviews/review-template.js";

const base: ReviewInput = {
  id: "INC-42",
  title: "PSI 0.31 on lead_source",
  severity: "P2",
  category: "model",
  // 09:10 in New York (EST, UTC−5)
  detectedAt: new Date("2026-11-23T14:10:00Z"),
  acknowledgedAt: new Date("2026-11-23T14:13:00Z"),
  identifiedAt: new Date("2026-11-23T15:02:00Z"),
  mitigatedAt: new Date("2026-11-23T14:24:00Z"),
  resolvedAt: new Date("2026-11-23T16:35:00Z"),
  timezone: "America/New_York",
  impact: { usersAffected: 1200, revenue: 5000, predictionsAffected: 34000, dataLoss: false },
  rootCause: "An upstream job started sending lead_source in upper case.",
  wentWell: ["Rollback worked as expected"],
  wentPoorly: ["The first alert was ignored"],
  actionItems: [
    { text: "Normalise lead_source casing", owner: "U123", due: "2026-12-01" },
    { text: "Add a category check", owner: "<@U456>" },
  ],
  dueDate: "2026-11-30",
};

const section = (md: string, title: string) => {
  const lines = md.split("\n");
  const start = lines.indexOf(title);
  const next = lines.findIndex((l, i) => i > start + 1 && (REVIEW_SECTIONS as readonly string[]).includes(l));
  return lines.slice(start + 2, next === -1 ? undefined : next).filter((l) => l !== "");
};

describe("renderReviewMarkdown", () => {
  it("a model incident carries the alert's evidence into IMPACT and the ROOT CAUSE prompt", () => {
    const modelEvidence = {
      model: "lead-scoring",
      version: "7",
      evidence: { window: "1h", feature: "lead_source", metric: "psi", value: 0.31, threshold: "PSI 0.31 > 0.25 (critical)" },
    };
    const md = renderReviewMarkdown({ ...base, rootCause: null, modelEvidence });
    const evidence = "metric psi, value 0.31, threshold PSI 0.31 > 0.25 (critical), feature lead_source, window 1h";
    expect(section(md, "IMPACT")).toContain(`- Model: lead-scoring version 7; the alert's evidence: ${evidence}`);
    expect(section(md, "ROOT CAUSE")[0]).toContain(`Start from the alert's evidence (${evidence}).`);
    // Once the cause is recorded it stands alone; an incident with no model has no model line.
    expect(section(renderReviewMarkdown({ ...base, modelEvidence }), "ROOT CAUSE")[0]).toBe(base.rootCause);
    expect(renderReviewMarkdown(base)).not.toContain("- Model:");
  });

  it("has exactly the seed's sections, in order, underlined", () => {
    const md = renderReviewMarkdown(base);
    const lines = md.split("\n");
    const headings = lines.filter((l, i) => /^[=-]+$/.test(lines[i + 1] ?? "") && l !== "");
    expect(headings).toEqual([...REVIEW_SECTIONS]);
    expect(lines[1]).toBe("=".repeat("INCIDENT REVIEW".length));
  });

  it("fills the header with date, severity and duration from detection to resolution", () => {
    const header = section(renderReviewMarkdown(base), "INCIDENT REVIEW");
    expect(header).toContain("Date: 2026-11-23");
    expect(header).toContain("Severity: P2");
    expect(header).toContain("Duration: 2 hours 25 minutes (detection to resolution)");
    expect(header).toContain("Review due: 2026-11-30");
  });

  it("shows the timeline as HH:MM in the incident's zone", () => {
    expect(section(renderReviewMarkdown(base), "TIMELINE")).toEqual([
      "- 09:10 - Alert fired / issue reported",
      "- 09:13 - On-call acknowledged",
      "- 10:02 - Root cause identified",
      "- 09:24 - Mitigation applied",
      "- 11:35 - Full resolution confirmed",
    ]);
  });

  it("leaves out the root-cause line when it is not known, and marks other gaps", () => {
    const md = renderReviewMarkdown({
      ...base,
      identifiedAt: undefined,
      acknowledgedAt: null,
      mitigatedAt: undefined,
      resolvedAt: undefined,
    });
    const timeline = section(md, "TIMELINE");
    expect(timeline.some((l) => l.includes("Root cause identified"))).toBe(false);
    expect(timeline).toEqual([
      "- 09:10 - Alert fired / issue reported",
      "- --:-- - On-call acknowledged (not acknowledged)",
      "- --:-- - Mitigation applied (not recorded)",
      "- --:-- - Full resolution confirmed (not resolved yet)",
    ]);
    expect(md).toContain("Duration: ongoing (not resolved yet)");
  });

  it("adds the date to a time on a later day", () => {
    const md = renderReviewMarkdown({ ...base, resolvedAt: new Date("2026-11-24T06:15:00Z") });
    expect(section(md, "TIMELINE")).toContain("- 01:15 - Full resolution confirmed (2026-11-24)");
    expect(md).toContain("Duration: 16 hours 5 minutes (detection to resolution)");
  });

  it("fills impact, root cause, lessons and action items", () => {
    const md = renderReviewMarkdown(base);
    expect(section(md, "IMPACT")).toEqual([
      "- Users affected: 1,200",
      "- Revenue impact: $5,000 (estimated)",
      "- Predictions affected: 34,000",
      "- Data loss: No",
    ]);
    expect(section(md, "ROOT CAUSE")).toEqual([base.rootCause]);
    expect(section(md, "WHAT WENT WELL")).toEqual(["- Rollback worked as expected"]);
    expect(section(md, "WHAT WENT POORLY")).toEqual(["- The first alert was ignored"]);
    expect(section(md, "ACTION ITEMS")).toEqual([
      "- [ ] Normalise lead_source casing - Owner: <@U123> - Due: 2026-12-01",
      "- [ ] Add a category check - Owner: <@U456> - Due: not set",
    ]);
  });

  it("uses placeholders where nothing is known", () => {
    const md = renderReviewMarkdown({
      ...base,
      impact: undefined,
      rootCause: "  ",
      wentWell: [],
      wentPoorly: [],
      actionItems: [],
      category: null,
    });
    expect(md).toContain("Category: unclassified");
    expect(section(md, "IMPACT")).toContain("- Users affected: unknown");
    expect(section(md, "IMPACT")).toContain("- Data loss: unknown");
    expect(section(md, "ROOT CAUSE")[0]).toMatch(/^\[Not yet recorded: \/incident cause <text>/);
    expect(section(md, "WHAT WENT WELL")).toEqual(["- [To be filled in at the review]"]);
    expect(section(md, "ACTION ITEMS")).toEqual(["- [ ] [Add action items] - Owner: unassigned - Due: not set"]);
  });

  it("refuses an unknown time zone", () => {
    expect(() => renderReviewMarkdown({ ...base, timezone: "Mars/Olympus" })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe("reviewDueDate", () => {
  it("counts 5 business days, skipping the weekend", () => {
    // Friday 2026-11-27 → Friday 2026-12-04
    expect(reviewDueDate(new Date("2026-11-27T12:00:00Z"), "UTC")).toBe("2026-12-04");
    // Wednesday 2026-11-25 → Wednesday 2026-12-02
    expect(reviewDueDate(new Date("2026-11-25T12:00:00Z"), "UTC")).toBe("2026-12-02");
  });

  it("counts on the calendar of the given zone", () => {
    const at = new Date("2026-11-30T02:00:00Z"); // Monday in UTC, still Sunday evening in New York
    expect(reviewDueDate(at, "UTC")).toBe("2026-12-07");
    expect(reviewDueDate(at, "America/New_York")).toBe("2026-12-04");
  });

  it("refuses an unknown time zone", () => {
    expect(() => reviewDueDate(new Date(), "Nowhere/Else")).toThrow(/unknown time zone/);
  });
});
