import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
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

describe("configuration of the integrations beyond the channel", () => {
  it("keeps email off and invisible when none of its variables is set", () => {
    expect(loadConfig(base).mail).toBeUndefined();
  });

  it("takes a complete email set-up", () => {
    const c = loadConfig({
      ...base,
      SMTP_URL: "smtps://bot:pw@smtp.example.com:465",
      MAIL_FROM: "Incident bot <incidents@example.com>",
      LEADERSHIP_EMAILS: "ceo@example.com , cto@example.com",
    });
    expect(c.mail).toEqual({
      url: "smtps://bot:pw@smtp.example.com:465",
      from: "Incident bot <incidents@example.com>",
      leadership: ["ceo@example.com", "cto@example.com"],
      product: [],
    });
  });

  it("names what is wrong or missing, in one line", () => {
    const full = { SMTP_URL: "smtp://u:p@relay:587", MAIL_FROM: "bot@example.com", PRODUCT_EMAILS: "pm@example.com" };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...full, SMTP_URL: "http://relay:587" }, /SMTP_URL must be a URL like smtp:\/\/user:pass@host:587/],
      [{ ...full, SMTP_URL: "not a url" }, /SMTP_URL must be a URL/],
      [{ ...full, MAIL_FROM: "the bot" }, /MAIL_FROM must be an email address/],
      [{ ...full, LEADERSHIP_EMAILS: "ceo@example.com,bob" }, /LEADERSHIP_EMAILS must be comma-separated email addresses.*"bob"/],
      [{ ...full, PRODUCT_EMAILS: "pm at example.com" }, /PRODUCT_EMAILS must be comma-separated email addresses/],
      [{ SMTP_URL: "smtp://relay:25", PRODUCT_EMAILS: "pm@example.com" }, /email is half set up: .*MAIL_FROM is not/],
      [{ MAIL_FROM: "bot@example.com" }, /email is half set up: MAIL_FROM is set but SMTP_URL is not/],
      [{ LEADERSHIP_EMAILS: "ceo@example.com" }, /LEADERSHIP_EMAILS is set but SMTP_URL and MAIL_FROM are not/],
      [{ SMTP_URL: "smtp://relay:25", MAIL_FROM: "bot@example.com" }, /no recipients: set LEADERSHIP_EMAILS and\/or PRODUCT_EMAILS/],
    ];
    for (const [env, re] of cases) {
      const msg = errorOf({ ...base, ...env });
      expect(msg).toMatch(re);
      expect(msg).not.toContain("\n");
    }
  });

  it("npm start with half an email set-up exits 1 with one line naming what is missing", async () => {
    const { code, output } = await runMain({ ...base, SMTP_URL: "smtp://relay:25", DOTENV_CONFIG_PATH: "/nonexistent" });
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toMatch(/MAIL_FROM/);
  });
});

describe("configuration of paging", () => {
  it("is off without PAGERDUTY_ROUTING_KEY, on with it (default events URL), and names a bad key", () => {
    expect(loadConfig(base).pagerduty).toBeUndefined();
    expect(loadConfig({ ...base, PAGERDUTY_ROUTING_KEY: "a".repeat(32) }).pagerduty).toEqual({
      routingKey: "a".repeat(32),
      eventsUrl: "https://events.pagerduty.com/v2/enqueue",
    });
    expect(errorOf({ ...base, PAGERDUTY_ROUTING_KEY: "short" })).toMatch(/PAGERDUTY_ROUTING_KEY must be the 32-character Integration Key/);
    expect(errorOf({ ...base, PAGERDUTY_ROUTING_KEY: "a".repeat(32), PAGERDUTY_EVENTS_URL: "nope" })).toMatch(
      /PAGERDUTY_EVENTS_URL must be an http/,
    );
  });
});

describe("configuration of the on-call lookup", () => {
  it("is off without its variables, and names the missing half", () => {
    expect(loadConfig(base).oncall).toBeUndefined();
    expect(loadConfig({ ...base, PAGERDUTY_API_TOKEN: "tok", PAGERDUTY_SCHEDULE_IDS: "PABC123, PDEF456" }).oncall).toEqual({
      apiToken: "tok",
      scheduleIds: ["PABC123", "PDEF456"],
      apiUrl: "https://api.pagerduty.com",
    });
    expect(errorOf({ ...base, PAGERDUTY_API_TOKEN: "tok" })).toMatch(/PAGERDUTY_SCHEDULE_IDS is required with PAGERDUTY_API_TOKEN/);
    expect(errorOf({ ...base, PAGERDUTY_SCHEDULE_IDS: "PABC123" })).toMatch(/PAGERDUTY_API_TOKEN is required with PAGERDUTY_SCHEDULE_IDS/);
    expect(errorOf({ ...base, PAGERDUTY_API_TOKEN: "tok", PAGERDUTY_SCHEDULE_IDS: "primary" })).toMatch(
      /PAGERDUTY_SCHEDULE_IDS must be comma-separated PagerDuty schedule IDs/,
    );
  });
});

describe("configuration of Jira", () => {
  const full = {
    JIRA_URL: "https://acme.atlassian.net/",
    JIRA_EMAIL: "incident-bot@acme.com",
    JIRA_API_TOKEN: "ATATT3x-token",
    JIRA_PROJECT_KEY: "OPS",
  };
  it("is off and invisible without its variables, on with all four (Task by default, webhook secret optional)", () => {
    expect(loadConfig(base).jira).toBeUndefined();
    expect(loadConfig({ ...base, ...full }).jira).toEqual({
      url: "https://acme.atlassian.net",
      email: "incident-bot@acme.com",
      apiToken: "ATATT3x-token",
      projectKey: "OPS",
      issueType: "Task",
      webhookSecret: undefined,
    });
    expect(loadConfig({ ...base, ...full, JIRA_WEBHOOK_SECRET: "s3cret", JIRA_ISSUE_TYPE: "Bug" }).jira).toMatchObject({
      webhookSecret: "s3cret",
      issueType: "Bug",
    });
  });

  it("names what is wrong or missing, in one line", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...full, JIRA_URL: "acme.atlassian.net" }, /JIRA_URL must be your Jira Cloud site URL like https:\/\/your-team\.atlassian\.net/],
      [{ ...full, JIRA_URL: "ftp://acme.atlassian.net" }, /JIRA_URL must be your Jira Cloud site URL/],
      [{ ...full, JIRA_EMAIL: "incident-bot" }, /JIRA_EMAIL must be the email address of the Atlassian account/],
      [{ ...full, JIRA_PROJECT_KEY: "ops" }, /JIRA_PROJECT_KEY must be a Jira project key like OPS/],
      [{ JIRA_URL: full.JIRA_URL }, /Jira is half set up: JIRA_URL is set but JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT_KEY are not/],
      [{ ...full, JIRA_API_TOKEN: "" }, /Jira is half set up: JIRA_URL, JIRA_EMAIL, JIRA_PROJECT_KEY are set but JIRA_API_TOKEN is not/],
      [{ JIRA_WEBHOOK_SECRET: "s3cret" }, /JIRA_WEBHOOK_SECRET is set but JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT_KEY are not/],
    ];
    for (const [env, re] of cases) {
      const msg = errorOf({ ...base, ...env });
      expect(msg).toMatch(re);
      expect(msg).not.toContain("\n");
    }
  });

  it("npm start with half a Jira set-up exits 1 with one line naming what is missing", async () => {
    const { code, output } = await runMain({ ...base, JIRA_URL: "https://acme.atlassian.net", DOTENV_CONFIG_PATH: "/nonexistent" });
    expect(code).toBe(1);
    expect(output.trim().split("\n")).toHaveLength(1);
    expect(output).toMatch(/JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT_KEY/);
  });
});
