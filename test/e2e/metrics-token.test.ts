import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

// METRICS_TOKEN: /metrics answers only a matching bearer token (for a /metrics that crosses a public network).
const TOKEN = "metrics-token-0123456789abcdef";

describe("METRICS_TOKEN on /metrics", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("pglite", { env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses no token and a wrong one with 401 and a Bearer challenge, serves the right one", async () => {
    for (const auth of [undefined, "Bearer wrong-token-0123456789", `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`, TOKEN]) {
      const res = await fetch(`${h.appUrl}/metrics`, { headers: auth ? { authorization: auth } : {} });
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
      expect(await res.json()).toEqual({ error: "missing or wrong bearer token (METRICS_TOKEN)" });
    }
    const ok = await fetch(`${h.appUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toMatch(/^# HELP /m);
    // the other internal routes are unaffected
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });

  it("a token shorter than 16 characters is refused at start-up", async () => {
    const { loadConfig, ConfigError } = await import("../../src/config.js");
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", METRICS_TOKEN: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});
