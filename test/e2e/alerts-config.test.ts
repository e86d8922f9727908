import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

const dir = mkdtempSync(path.join(tmpdir(), "alert-routes-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

/** The routing file as the app reads it: with the rest of the configuration. */
const readRoutingFile = (file: string) =>
  loadConfig({ SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s", ALERT_ROUTES_FILE: file }).alertRouting;

describe("ALERT_ROUTES_FILE", () => {
  it("loads a valid file with routes and threshold profiles", () => {
    const file = write("ok.yaml", "routes:\n  - match: { team: ml }\n    responders: [U0ML1]\n    triage_channel: CMLTRIAGE\n");
    expect(readRoutingFile(file).routes[0]).toMatchObject({ responders: ["U0ML1"], triage_channel: "CMLTRIAGE" });
  });

  it("a bad or missing file is a ConfigError with one line naming the variable and the path", () => {
    const bad = write("bad.yaml", "routes:\n  - match: { team: ml }\n    responders: [not-a-user]\n");
    expect(() => readRoutingFile(bad)).toThrow(ConfigError);
    expect(() => readRoutingFile(bad)).toThrow(/^Invalid configuration: ALERT_ROUTES_FILE .*bad\.yaml: routes\.0\.responders\.0: /);
    expect(() => readRoutingFile(path.join(dir, "missing.yaml"))).toThrow(/ALERT_ROUTES_FILE .*cannot be read \(ENOENT\)/);
  });

  it("npm start exits 1 with that one line and no stack trace, before it opens the database or asks Slack", () => {
    const bad = write("typo.yaml", "routez: []\n");
    const run = spawnSync(process.execPath, ["dist/src/main.js"], {
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: "xoxb-x",
        SLACK_SIGNING_SECRET: "s",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        PORT: "0",
        DATA_DIR: path.join(dir, "data"),
        ALERT_ROUTES_FILE: bad,
        LOG_LEVEL: "silent",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr
      .trim()
      .split("\n")
      .filter((l) => !/ExperimentalWarning|--trace-warnings|nodedir/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: ALERT_ROUTES_FILE .*typo\.yaml/);
    expect(existsSync(path.join(dir, "data")), "the embedded database was not created").toBe(false);
  }, 60_000);
});
