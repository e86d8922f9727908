import { describe, expect, it } from "vitest";
import { normalizeGeneric } from "../../../src/alerts/normalize.js";
import { SilenceParseError, matchesSilence, parseDuration, parseMatchers } from "../../../src/alerts/silence-match.js";

function alert(fields: object) {
  const result = normalizeGeneric({ source: "drift-monitor", title: "t", ...fields });
  if (!result.ok) throw new Error("bad test alert");
  return result.alerts[0];
}

describe("parseMatchers", () => {
  it("parses every operator, braces and quoted values", () => {
    expect(parseMatchers('{team=ml, service!=api,model=~lead-.*, feature!~"a,b"}')).toEqual([
      { name: "team", op: "=", value: "ml" },
      { name: "service", op: "!=", value: "api" },
      { name: "model", op: "=~", value: "lead-.*" },
      { name: "feature", op: "!~", value: "a,b" },
    ]);
    expect(parseMatchers("équipe=données-ml 🚨")).toEqual([{ name: "équipe", op: "=", value: "données-ml 🚨" }]);
  });

  it.each([
    ["", "no matchers given"],
    ["team", 'matcher 1 "team" is not valid'],
    ["team=ml,=x", 'matcher 2 "=x" is not valid'],
    ["model=~(", "matcher 1: invalid regex"],
    ['team="ml', "unclosed quote"],
  ])("%j → a clear error", (text, message) => {
    expect(() => parseMatchers(text)).toThrow(SilenceParseError);
    expect(() => parseMatchers(text)).toThrow(message);
  });
});

describe("matchesSilence", () => {
  const a = alert({
    model: "lead-scoring",
    labels: { team: "ml", job: "lead-api" },
    metric: { name: "psi", value: 0.3 },
  });

  it("matches labels and pseudo-labels", () => {
    expect(matchesSilence(a, parseMatchers("team=ml,model=lead-scoring"))).toBe(true);
    expect(matchesSilence(a, parseMatchers("service=lead-api,severity=P1,source=generic"))).toBe(true);
    expect(matchesSilence(a, parseMatchers("model=~lead.*,team!=infra,category=data"))).toBe(true);
    expect(matchesSilence(a, parseMatchers("team=ml,model=churn"))).toBe(false);
    expect(matchesSilence(a, parseMatchers("model=~lead"))).toBe(false);
  });

  it("a missing label is empty", () => {
    expect(matchesSilence(a, parseMatchers("region!=eu"))).toBe(true);
    expect(matchesSilence(a, parseMatchers('region=""'))).toBe(true);
    expect(matchesSilence(a, parseMatchers("region=eu"))).toBe(false);
  });

  it("no matchers never matches", () => {
    expect(matchesSilence(a, [])).toBe(false);
  });
});

describe("parseDuration", () => {
  it.each([
    ["30m", 30 * 60_000],
    ["2h", 2 * 3_600_000],
    ["1d", 86_400_000],
    ["1h30m", 90 * 60_000],
    ["30d", 30 * 86_400_000],
    ["90s", 90_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each([
    ["0m", "more than 0"],
    ["0h0m", "more than 0"],
    ["31d", "at most 30d"],
    ["30d1s", "at most 30d"],
    ["2 hours", "not a duration"],
    ["", "not a duration"],
    ["m", "not a duration"],
  ])("%j → %s", (text, message) => expect(() => parseDuration(text)).toThrow(message));
});
