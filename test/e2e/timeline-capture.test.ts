import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_ID, BOT_USER_ID } from "../../tools/fake-slack/server.js";
import { tsToDate } from "../../src/timeline/capture-message.js";
import { declareAndProvision, eventually, type Harness, startHarness } from "../helpers/harness.js";
import { jobsIdle, userMessage } from "../helpers/reviews.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("timeline capture of pinned and marked messages (%s)", (kind) => {
  let h: Harness;
  let incidentId: number;
  let channelId: string;
  const captured = () => h.db.prisma.timelineEvent.findMany({ where: { incidentId, kind: "message.captured" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    h = await startHarness(kind, { env: { TIMELINE_REACTION: "memo" } });
    const incident = await declareAndProvision(h, "P2 Scores missing in CRM");
    incidentId = incident.id;
    channelId = incident.channelId!;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("records a pinned message with its text, author, time and permalink; a Slack retry and a second pin add nothing", async () => {
    const msg = userMessage(h.fake, channelId, "UALICE", "Rolled back to model v2.2 at 10:12");
    const pin = {
      type: "pin_added",
      user: "UBOB",
      channel_id: channelId,
      item: {
        type: "message",
        channel: channelId,
        created_by: "UBOB",
        message: { type: "message", user: "UALICE", text: msg.text, ts: msg.ts },
      },
    };
    expect((await h.slack.event(pin, { eventId: "EvPIN1" })).status).toBe(200);
    await h.slack.event(pin, { eventId: "EvPIN1", retryNum: 1, retryReason: "http_timeout" });
    await h.slack.event(pin, { eventId: "EvPIN2" }); // pinned again after an unpin
    const [event] = await eventually(async () => ((await captured()).length > 0 ? captured() : null), 10_000, "captured pin");
    expect(event!.text).toBe("Rolled back to model v2.2 at 10:12");
    expect(event!.actorId).toBe("UALICE");
    expect(event!.at.getTime()).toBe(tsToDate(msg.ts).getTime());
    expect(event!.sourceKey).toBe(`msg:${msg.ts}`);
    expect(event!.data).toMatchObject({ via: "pin", ts: msg.ts, permalink: expect.stringContaining(msg.ts.replace(".", "")) });
    await jobsIdle(h, ["timeline-capture"]);
    expect(await captured()).toHaveLength(1);
  });

  it("records a message marked with TIMELINE_REACTION, fetching its text; retries and other people's reactions add nothing", async () => {
    const msg = userMessage(h.fake, channelId, "UCAROL", "PSI on lead_source back under 0.1");
    const reaction = (user: string) => ({
      type: "reaction_added",
      user,
      reaction: "memo",
      item_user: "UCAROL",
      item: { type: "message", channel: channelId, ts: msg.ts },
    });
    await h.slack.event(reaction("UBOB"), { eventId: "EvR1" });
    await h.slack.event(reaction("UBOB"), { eventId: "EvR1", retryNum: 2, retryReason: "http_error" });
    await h.slack.event(reaction("UDAVE"), { eventId: "EvR2" });
    // Another reaction is not the configured one.
    const other = userMessage(h.fake, channelId, "UCAROL", "just chatting");
    await h.slack.event({ ...reaction("UBOB"), reaction: "thumbsup", item: { type: "message", channel: channelId, ts: other.ts } });
    const event = await eventually(
      async () => (await captured()).find((e) => e.sourceKey === `msg:${msg.ts}`),
      10_000,
      "captured reaction",
    );
    expect(event.text).toBe("PSI on lead_source back under 0.1");
    expect(event.actorId).toBe("UCAROL");
    expect(event.data).toMatchObject({ via: "reaction", ts: msg.ts });
    expect(h.fake.callsTo("conversations.history").some((c) => c.args.latest === msg.ts)).toBe(true);
    await jobsIdle(h, ["timeline-capture"]);
    expect((await captured()).filter((e) => e.sourceKey === `msg:${msg.ts}`)).toHaveLength(1);
    expect((await captured()).some((e) => e.sourceKey === `msg:${other.ts}`)).toBe(false);
  });

  it("ignores the bot's own pins and messages outside incident channels", async () => {
    const before = (await captured()).length;
    const header = h.fake.messages(channelId).find((m) => m.user === BOT_USER_ID)!;
    await h.slack.event({
      type: "pin_added",
      user: BOT_USER_ID,
      channel_id: channelId,
      item: {
        type: "message",
        channel: channelId,
        message: { type: "message", user: BOT_USER_ID, bot_id: BOT_ID, text: header.text, ts: header.ts },
      },
    });
    // A person marking the bot's header is not news either.
    await h.slack.event({
      type: "reaction_added",
      user: "UBOB",
      reaction: "memo",
      item_user: BOT_USER_ID,
      item: { type: "message", channel: channelId, ts: header.ts },
    });
    h.fake.ensureChannel({ id: "CRANDOM", name: "random" });
    const elsewhere = userMessage(h.fake, "CRANDOM", "UALICE", "lunch?");
    await h.slack.event({
      type: "reaction_added",
      user: "UBOB",
      reaction: "memo",
      item_user: "UALICE",
      item: { type: "message", channel: "CRANDOM", ts: elsewhere.ts },
    });
    // A later human pin proves the queue went past the ignored ones.
    const marker = userMessage(h.fake, channelId, "UALICE", "marker");
    await h.slack.event({
      type: "pin_added",
      user: "UALICE",
      channel_id: channelId,
      item: { type: "message", channel: channelId, message: { type: "message", user: "UALICE", text: "marker", ts: marker.ts } },
    });
    await eventually(async () => (await captured()).some((e) => e.text === "marker"), 10_000, "marker");
    await jobsIdle(h, ["timeline-capture"]);
    const after = await captured();
    expect(after).toHaveLength(before + 1);
    expect(after.some((e) => e.sourceKey === `msg:${header.ts}`)).toBe(false);
    expect(h.fake.violations).toEqual([]);
  });
});
