import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostedMessage } from "../../../src/chat/find-posted-message.js";
import { createLogger } from "../../../src/logger.js";
import { createMetrics } from "../../../src/metrics.js";
import { SlackGateway } from "../../../src/slack/gateway.js";
import { type FakeSlack, startFakeSlack } from "../../../tools/fake-slack/server.js";

describe("findPostedMessage (real gateway, fake Slack)", () => {
  let fake: FakeSlack;
  let gw: SlackGateway;
  beforeAll(async () => {
    fake = await startFakeSlack();
    gw = new SlackGateway({
      token: "xoxb-t",
      apiUrl: fake.apiUrl,
      pacing: false,
      log: createLogger("silent"),
      metrics: createMetrics(),
      retries: 0,
    });
  });
  afterAll(async () => {
    await gw.stop();
    await fake.close();
  });

  it("matches the event type and every payload key (numbers and their text alike), else null", async () => {
    const ch = fake.ensureChannel({ id: "CFINDA", name: "find-a" });
    const mine = await gw.post(ch.id, {
      text: "rb",
      metadata: { event_type: "runbook", event_payload: { incident_id: 7, list: "runbook:a" } },
    });
    await gw.post(ch.id, { text: "other list", metadata: { event_type: "runbook", event_payload: { incident_id: 7, list: "runbook:b" } } });
    await gw.post(ch.id, { text: "gate", metadata: { event_type: "gate_message", event_payload: { gateId: "12" } } });
    expect(await findPostedMessage(gw, ch.id, "runbook", { incident_id: 7, list: "runbook:a" })).toBe(mine.ts);
    expect(await findPostedMessage(gw, ch.id, "gate_message", { gateId: 12 })).not.toBeNull();
    expect(await findPostedMessage(gw, ch.id, "runbook", { incident_id: 8, list: "runbook:a" })).toBeNull();
    expect(await findPostedMessage(gw, ch.id, "header", { incident_id: 7 })).toBeNull();
  });

  it("looks past the first page when the channel got busy after the post", async () => {
    const ch = fake.ensureChannel({ id: "CFINDB", name: "find-b" });
    const mine = await gw.post(ch.id, { text: "header", metadata: { event_type: "incident_header", event_payload: { incident_id: 3 } } });
    for (let i = 0; i < 150; i++) await gw.post(ch.id, { text: `chatter ${i}` });
    expect(await findPostedMessage(gw, ch.id, "incident_header", { incident_id: 3 })).toBe(mine.ts);
  });

  it("a failed read throws for the caller's retry", async () => {
    await expect(findPostedMessage(gw, "CNOSUCH", "incident_header", { incident_id: 3 })).rejects.toThrow(/channel_not_found/);
  });
});
