import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatError } from "../../src/chat/port.js";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { createLogger } from "../../src/logger.js";
import { createMetrics } from "../../src/metrics.js";
import { SlackGateway } from "../../src/slack/gateway.js";

describe("Slack gateway", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });

  const gateway = (pacing: boolean, metrics = createMetrics(), pacingWindowMs = 1000) =>
    new SlackGateway({ token: "xoxb-t", apiUrl: fake.apiUrl, pacing, pacingWindowMs, log: createLogger("silent"), metrics, retries: 0 });

  it("paces a burst under the method's tier: 20 channel creations per window, the rest wait for the next", async () => {
    const gw = gateway(true, createMetrics(), 3000);
    const start = Date.now();
    await Promise.all(Array.from({ length: 25 }, (_, i) => gw.createChannel(`pacing-burst-${i}`, false)));
    const times = fake
      .callsTo("conversations.create")
      .filter((c) => c.args.name.startsWith("pacing-burst-"))
      .map((c) => c.at - start)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(25);
    // The window is 3 s so that a loaded machine (a full test run on 2 cores) cannot blur the two groups.
    expect(times[19]!).toBeLessThan(2500);
    expect(times[20]!).toBeGreaterThanOrEqual(2500); // waited for the next window instead of tripping a 429
    await gw.stop();
  });

  it("spaces posts to one channel (about one per second in Slack's terms) but not across channels", async () => {
    const gw = gateway(true);
    const a = fake.ensureChannel({ id: "CPACEA", name: "pace-a" });
    const b = fake.ensureChannel({ id: "CPACEB", name: "pace-b" });
    const start = Date.now();
    await Promise.all([1, 2, 3].flatMap((n) => [gw.post(a.id, { text: `a${n}` }), gw.post(b.id, { text: `b${n}` })]));
    const at = (ch: string) =>
      fake
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === ch)
        .map((c) => c.at - start)
        .sort((x, y) => x - y);
    // 1/60 of the 1 s test window between posts: ~33 ms from the first to the third when sent; the fake records
    // arrival times, which jitter by a few ms on a busy machine (27 ms seen once). Unpaced they arrive together.
    expect(at(a.id)[2]! - at(a.id)[0]!).toBeGreaterThanOrEqual(24);
    expect(Math.abs(at(a.id)[0]! - at(b.id)[0]!)).toBeLessThan(30);
    await gw.stop();
  });

  it("turns Slack errors into ChatError with Slack's code and counts calls by method and outcome", async () => {
    const metrics = createMetrics();
    const gw = gateway(false, metrics);
    fake.failWithError("conversations.setTopic", "channel_not_found");
    const err = await gw.setTopic("CNOPE", "x").catch((e) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect(err).toMatchObject({ code: "channel_not_found", method: "conversations.setTopic", retryable: false });
    await gw.invite("CPACEA", []); // nothing to do: no call
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/bot_slack_calls_total\{method="conversations.setTopic",outcome="channel_not_found"\} 1/);
  });
});
