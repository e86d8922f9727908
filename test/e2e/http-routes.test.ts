import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareAndProvision, type Harness, runCommand, startHarness } from "../helpers/harness.js";

// The operational routes: health, Prometheus metrics, OpenAPI. PGlite only (no storage behaviour here).
describe("health, metrics and OpenAPI routes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("pglite");
  });
  afterAll(async () => {
    // The last test closed the database under the app: stopping it may complain about that, nothing else.
    await h?.close().catch((e) => expect(String(e)).toMatch(/closed/i));
  });

  it("/metrics counts commands, Slack calls by method and outcome, and open incidents", async () => {
    await declareAndProvision(h, "P3 Metrics please");
    await runCommand(h, "/incident", "bogus", { userId: "U1", channelId: "CGENERAL" });
    const res = await fetch(`${h.appUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/bot_commands_total\{command="incident",subcommand="declare",outcome="ok"\} 1/);
    expect(text).toMatch(/bot_commands_total\{command="incident",subcommand="bogus",outcome="user_error"\} 1/);
    expect(text).toMatch(/bot_slack_calls_total\{method="conversations.create",outcome="ok"\} 1/);
    expect(text).toMatch(/bot_open_incidents 1/);
    expect(text).toMatch(/process_resident_memory_bytes/);
  });

  it("/openapi.json describes the four alert routes", async () => {
    const doc = (await (await fetch(`${h.appUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths).sort()).toEqual(["/alerts/alertmanager", "/alerts/generic", "/alerts/grafana", "/alerts/pagerduty"]);
  });

  it("/healthz answers 200 while the database answers and 503 once it does not", async () => {
    const ok = await fetch(`${h.appUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok" });
    await h.db.pglite!.close(); // the database goes away under the running app
    const down = await fetch(`${h.appUrl}/healthz`);
    expect(down.status).toBe(503);
  });
});
