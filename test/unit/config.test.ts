import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { resolveDbTarget } from "../../src/db/target.js";
import { runMain } from "../helpers/child-app.js";

const base = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" };
const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("configuration", () => {
  it("has the contract's defaults", () => {
    const c = loadConfig(base);
    expect(c.slack.apiUrl).toBe("https://slack.com/api/");
    expect(c.port).toBe(3000);
    expect(c.timezone).toBe("UTC");
    expect(c.targets).toEqual({ ack: 300, mitigate: 900, productUpdate: 1800, statusPage: 3600, leadershipSummary: 86400 });
    expect(c.timelineReaction).toBe("pushpin");
    expect(c.responders).toEqual([]);
    expect(c.dataDir).toBe("./data");
  });

  it("names the variable and what is expected, in one line", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...base, ACK_TARGET_SECONDS: "0" }, /ACK_TARGET_SECONDS must be a whole number of seconds > 0/],
      [{ ...base, ARCHIVE_AFTER_DAYS: "2.5" }, /^Invalid configuration: ARCHIVE_AFTER_DAYS must be a whole number of days > 0, got "2.5"$/],
      [{ ...base, MITIGATE_TARGET_SECONDS: "1.5" }, /MITIGATE_TARGET_SECONDS/],
      [{ ...base, LEADERSHIP_SUMMARY_SECONDS: "-3" }, /LEADERSHIP_SUMMARY_SECONDS/],
      [{ ...base, PORT: "99999" }, /PORT must be a port number/],
      [{ ...base, DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a postgres/],
      [{ ...base, TIMEZONE: "Mars/Olympus" }, /TIMEZONE must be an IANA time zone/],
      [{ ...base, INCIDENT_RESPONDERS: "U1ABC,bob" }, /INCIDENT_RESPONDERS must be comma-separated Slack user IDs/],
      [{ ...base, STAKEHOLDER_CHANNEL_ID: "#general" }, /STAKEHOLDER_CHANNEL_ID must be a Slack channel ID/],
      [{ ...base, SLACK_API_URL: "not a url" }, /SLACK_API_URL must be an http\(s\) URL/],
      [{ ...base, SLACK_BOT_TOKEN: "abc" }, /SLACK_BOT_TOKEN must be a bot token/],
      [{ SLACK_BOT_TOKEN: "xoxb-1" }, /SLACK_SIGNING_SECRET is not set[\s\S]*npm run demo/],
      [{ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SOCKET_MODE: "true" }, /SLACK_APP_TOKEN \(xapp-…\) is required/],
      [{}, /SLACK_BOT_TOKEN is not set[\s\S]*npm run demo/],
    ];
    for (const [env, pattern] of cases) {
      const msg = errorOf(env);
      expect(msg).toMatch(pattern);
      expect(msg).not.toContain("\n");
    }
  });

  it("chooses the database from DATABASE_URL and DATA_DIR", () => {
    expect(resolveDbTarget({})).toMatchObject({ driver: "pglite" });
    expect(resolveDbTarget({ DATA_DIR: "memory://" })).toEqual({ driver: "pglite", dataDir: undefined });
    expect(resolveDbTarget({ DATABASE_URL: "postgresql://u@h/db" })).toEqual({ driver: "pg", url: "postgresql://u@h/db" });
    expect(() => resolveDbTarget({ DATABASE_URL: "file:./x" })).toThrow(/postgres/);
  });

  it("npm start without Slack credentials says what to set, points to the demo, and exits 1", async () => {
    const { code, output } = await runMain({ SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "", DOTENV_CONFIG_PATH: "/nonexistent" });
    expect(code).toBe(1);
    expect(output).toMatch(/SLACK_BOT_TOKEN is not set/);
    expect(output).toMatch(/npm run demo/);
    expect(output).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
    const bad = await runMain({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      ACK_TARGET_SECONDS: "soon",
      DOTENV_CONFIG_PATH: "/nonexistent",
    });
    expect(bad.code).toBe(1);
    expect(bad.output.trim().split("\n")).toHaveLength(1);
    expect(bad.output).toMatch(/ACK_TARGET_SECONDS/);
  });
});
