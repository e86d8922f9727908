import { describe, expect, it } from "vitest";
import { normalizeGeneric } from "../../../src/alerts/normalize.js";
import { applyRoute, loadRoutingConfig, routeAlert } from "../../../src/alerts/routing-config.js";

const YAML = `
routes:
  - name: lead scoring
    match: { model: lead-scoring }
    responders: [U0MLLEAD1]
    triage_channel: C0MLTRIAGE
    profile: lead-scoring
    continue: true
  - match: { team: ml }
    match_re: { service: "lead-.*" }
    responders: [U0MLOPS02, U0MLLEAD1]
    severity: P2
  - match: { team: ml }
    responders: [U0NEVER03]
thresholds:
  overrides:
    models:
      lead-scoring: { psi: { critical: 0.5 } }
`;

function alert(fields: object) {
  const result = normalizeGeneric({ source: "s", title: "t", ...fields });
  if (!result.ok) throw new Error("bad test alert");
  return result.alerts[0];
}

describe("loadRoutingConfig", () => {
  it("loads YAML and JSON", () => {
    const config = loadRoutingConfig(YAML, "routes.yaml");
    expect(config.routes).toHaveLength(3);
    expect(config.routes[1].continue).toBe(false);
    expect(config.thresholds?.overrides.models["lead-scoring"]).toEqual({ psi: { critical: 0.5 } });
    expect(loadRoutingConfig('{"routes":[{"match":{"team":"x"}}]}', "r.json").routes[0].match).toEqual({ team: "x" });
    expect(loadRoutingConfig("", "empty.yml")).toEqual({ routes: [] });
  });

  it.each([
    ["routes:\n  - match: { team: [1] }\n", "routes.yaml: routes.0.match.team: "],
    ["routes:\n  - match_re: { team: '(' }\n", "routes.yaml: routes.0.match_re.team: invalid regular expression"],
    ["routes:\n  - responders: [bob]\n", "routes.yaml: routes.0.responders.0: expected a Slack user id"],
    ["routes:\n  - severity: P9\n", "routes.yaml: routes.0.severity: "],
    ["routes:\n  - profile: nope\n", "routes.yaml: routes.0.profile: unknown profile"],
    ["routes:\n  - matches: {}\n", "routes.yaml: routes.0: "],
    ["routes: [\n", "routes.yaml: cannot parse: "],
  ])("one clear line for %j", (text, start) => {
    let message = "";
    try {
      loadRoutingConfig(text, "routes.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.startsWith(start)).toBe(true);
    expect(message).not.toContain("\n");
  });
});

describe("routeAlert", () => {
  const config = loadRoutingConfig(YAML, "routes.yaml");

  it("continue collects from later routes; the first non-continue match stops", () => {
    const decision = routeAlert(alert({ model: "lead-scoring", service: "lead-api", labels: { team: "ml" } }), config, {
      responders: ["U0DEFAULT"],
    });
    expect(decision).toEqual({
      responders: ["U0DEFAULT", "U0MLLEAD1", "U0MLOPS02"],
      triageChannel: "C0MLTRIAGE",
      severityOverride: "P2",
      profile: "lead-scoring",
      matched: [0, 1],
    });
  });

  it("first match wins without continue", () => {
    const decision = routeAlert(alert({ labels: { team: "ml" } }), config);
    expect(decision.matched).toEqual([2]);
    expect(decision.responders).toEqual(["U0NEVER03"]);
  });

  it("falls back to the defaults when nothing matches", () => {
    expect(routeAlert(alert({}), config, { triageChannel: "C0ALERTS", profile: null })).toEqual({
      responders: [],
      triageChannel: "C0ALERTS",
      severityOverride: null,
      profile: null,
      matched: [],
    });
  });

  it("regexes are anchored", () => {
    const decision = routeAlert(alert({ service: "x-lead-api", labels: { team: "ml" } }), config);
    expect(decision.matched).toEqual([2]);
  });
});

describe("applyRoute", () => {
  const config = loadRoutingConfig(YAML, "routes.yaml");

  it("a severity override wins", () => {
    const a = alert({ severity: "info" });
    expect(applyRoute(a, { ...routeAlert(a, config), severityOverride: "P1" })).toMatchObject({
      severity: "P1",
      severitySource: "route",
    });
  });

  it("a route profile re-judges the metric with the file's overrides", () => {
    const a = alert({ model: "churn", metric: { name: "error_rate", value: 0.008 } });
    expect(a.severity).toBe("P4");
    const routed = applyRoute(a, { ...routeAlert(a, config), profile: "lead-scoring" }, config);
    expect(routed).toMatchObject({ severity: "P3", severitySource: "metric" });
  });
});
