import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSlack } from "../../tools/fake-slack/server.js";
import { freePort, runMain, startChildApp } from "../helpers/child-app.js";
import { eventually } from "../helpers/harness.js";
import { createTestDb } from "../helpers/test-db.js";

// Start-up talks to Slack before it opens a database, so the token cases need none; the unreachable case runs on PostgreSQL.
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function baseEnv(apiUrl: string): Record<string, string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "startup-slack-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return {
    SLACK_BOT_TOKEN: "xoxb-startup-test",
    SLACK_SIGNING_SECRET: "startup-secret",
    SLACK_API_URL: apiUrl,
    SLACK_PACING: "false",
    DATA_DIR: dataDir,
    DOTENV_CONFIG_PATH: "/nonexistent",
  };
}

const lines = (out: string) => out.trim().split("\n").filter(Boolean);

describe("start-up against Slack", () => {
  it("a token Slack rejects: one line naming SLACK_BOT_TOKEN and Slack's answer, exit 1, no stack", { timeout: 90_000 }, async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    for (const error of ["invalid_auth", "token_revoked"]) {
      fake.failWithError("auth.test", error); // auth.test is asked once: a rejected token is not retried
      const { code, output } = await runMain(baseEnv(fake.apiUrl));
      expect(code).toBe(1);
      expect(lines(output)).toEqual([expect.stringMatching(new RegExp(`SLACK_BOT_TOKEN was rejected by Slack at .*: ${error}`))]);
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it("the .env.example placeholders are refused at validation with one line", { timeout: 90_000 }, async () => {
    const { code, output } = await runMain({ ...baseEnv("http://127.0.0.1:9/api/"), SLACK_BOT_TOKEN: "xoxb-your-bot-token" });
    expect(code).toBe(1);
    expect(lines(output)).toEqual([expect.stringMatching(/SLACK_BOT_TOKEN is still the \.env\.example placeholder/)]);
  });

  it("Slack unreachable: starts, says so once in JSON, /healthz degraded until Slack answers, then ok", { timeout: 90_000 }, async () => {
    const port = await freePort(); // nothing listens there yet: connection refused
    const apiUrl = `http://127.0.0.1:${port}/api/`;
    // PostgreSQL from the test template: a fresh embedded database would spend most of this test migrating.
    const pg = await createTestDb("pg");
    await pg.prisma.$disconnect();
    cleanups.push(() => pg.close());
    const env = { ...baseEnv(apiUrl), DATABASE_URL: pg.url!, JOB_SCHEMA: `pgboss_${pg.schema}` };
    const app = await startChildApp(env);
    cleanups.push(async () => void (await app.kill()));
    const health = async () => (await fetch(`${app.url}/healthz`)).json();
    expect(await health()).toEqual({ status: "degraded", slack: "unreachable" });
    // alerts keep working meanwhile: the HTTP side answers
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);

    const fake = await startFakeSlack({ port });
    cleanups.unshift(() => fake.close());
    await eventually(async () => (await health()).status === "ok", 20_000, "healthz ok once Slack answers");
    expect(await health()).toEqual({ status: "ok" });

    const out = lines(app.output());
    for (const line of out) expect(() => JSON.parse(line), line).not.toThrow(); // logs stay JSON, no library warnings
    const unreachable = out.filter((l) => l.includes("Slack is unreachable"));
    expect(unreachable).toHaveLength(1);
    expect(JSON.parse(unreachable[0]!).msg).toMatch(
      new RegExp(`Slack is unreachable at ${apiUrl.replace(/[./]/g, "\\$&")}: ECONNREFUSED; retrying`),
    );
  });
});
