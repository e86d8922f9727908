import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type Harness, startHarness, jobsDrained } from "../helpers/harness.js";

// PGlite only: this is about Bolt middleware, not storage.
describe("SLACK_TEAM_ID", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("pglite", { env: { SLACK_TEAM_ID: "TALLOWED" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses commands from any other workspace with a clear reply and does nothing", async () => {
    const res = await h.slack.command("/incident", "declare P1 From the wrong workspace", { userId: "UX", channelId: "CX" });
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/not enabled for this workspace/);
    await jobsDrained(h);
    expect(await h.db.prisma.incident.count()).toBe(0);
    expect(h.fake.callsTo("conversations.create")).toHaveLength(0);
  });

  it("serves its own workspace", async () => {
    const own = await import("../../tools/fake-slack/signed-requests.js");
    const sender = own.slackSender({ appUrl: h.appUrl, signingSecret: "test-signing-secret", fake: h.fake, teamId: "TALLOWED" });
    await sender.command("/incident", "declare P3 From the right workspace", { userId: "UY", channelId: "CY" });
    await eventually(() => h.db.prisma.incident.count({ where: { title: "From the right workspace" } }));
  });
});
