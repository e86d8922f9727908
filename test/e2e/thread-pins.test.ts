import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tsToDate } from "../../src/timeline/capture-message.js";
import { declareAndProvision, eventually, type Harness, startHarness } from "../helpers/harness.js";
import { jobsIdle } from "../helpers/reviews.js";
import { dbKinds } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("📌 and pins on thread replies in an incident channel (%s)", (kind) => {
  let h: Harness;
  let incidentId: number;
  let channelId: string;
  const capturedOf = async (ts: string) =>
    (await h.db.prisma.timelineEvent.findMany({ where: { incidentId, kind: "message.captured" } })).find(
      (e) => e.sourceKey === `msg:${ts}`,
    );

  beforeAll(async () => {
    h = await startHarness(kind); // TIMELINE_REACTION defaults to pushpin
    const incident = await declareAndProvision(h, "P2 Threads on the timeline");
    incidentId = incident.id;
    channelId = incident.channelId!;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a 📌 on a thread reply puts the reply's text, author, time and permalink on the timeline", async () => {
    const parent = h.fake.userMessage(channelId, "UALICE", "Looking at the feature store");
    const reply = h.fake.userMessage(channelId, "UBOB", "Found it: the lead_source join drops nulls", { threadTs: parent.ts });
    h.fake.userMessage(channelId, "UCAROL", "A later top-level message"); // history's newest is not the reply
    await h.slack.event({
      type: "reaction_added",
      user: "UDAVE",
      reaction: "pushpin",
      item_user: "UBOB",
      item: { type: "message", channel: channelId, ts: reply.ts },
    });
    const event = await eventually(() => capturedOf(reply.ts), 10_000, "captured thread reply");
    expect(event.text).toBe("Found it: the lead_source join drops nulls");
    expect(event.actorId).toBe("UBOB");
    expect(event.at.getTime()).toBe(tsToDate(reply.ts).getTime());
    expect(event.data).toMatchObject({
      via: "reaction",
      ts: reply.ts,
      permalink: `https://fake.slack.test/archives/${channelId}/p${reply.ts.replace(".", "")}?thread_ts=${parent.ts}&cid=${channelId}`,
    });
    expect(h.fake.callsTo("conversations.replies").some((c) => c.args.ts === reply.ts)).toBe(true);
    expect(await capturedOf(parent.ts)).toBeUndefined();
  });

  it("a pin of a thread reply is captured, whether the event carries the message or only its ts", async () => {
    const parent = h.fake.userMessage(channelId, "UALICE", "Rollback thread");
    const withMessage = h.fake.userMessage(channelId, "UERIN", "Alias moved back to v41", { threadTs: parent.ts });
    const bare = h.fake.userMessage(channelId, "UFRANK", "Health check reports v41", { threadTs: parent.ts });
    await h.slack.event({
      type: "pin_added",
      user: "UDAVE",
      channel_id: channelId,
      item: {
        type: "message",
        channel: channelId,
        created_by: "UDAVE",
        message: { type: "message", user: "UERIN", text: withMessage.text, ts: withMessage.ts, thread_ts: parent.ts },
      },
    });
    await h.slack.event({
      type: "pin_added",
      user: "UDAVE",
      channel_id: channelId,
      item: { type: "message", channel: channelId, ts: bare.ts },
    });
    const a = await eventually(() => capturedOf(withMessage.ts), 10_000, "captured pinned reply");
    const b = await eventually(() => capturedOf(bare.ts), 10_000, "captured pinned reply (ts only)");
    expect([a.text, a.actorId]).toEqual(["Alias moved back to v41", "UERIN"]);
    expect([b.text, b.actorId]).toEqual(["Health check reports v41", "UFRANK"]);
    for (const [e, m] of [
      [a, withMessage],
      [b, bare],
    ] as const) {
      expect(e.data).toMatchObject({
        via: "pin",
        ts: m.ts,
        permalink: expect.stringContaining(`p${m.ts.replace(".", "")}?thread_ts=${parent.ts}`),
      });
    }
  });

  it("a broadcast reply is found in history; a reply deleted before the capture records nothing", async () => {
    const parent = h.fake.userMessage(channelId, "UALICE", "Another thread");
    const broadcast = h.fake.userMessage(channelId, "UBOB", "Also sent to the channel", { threadTs: parent.ts, broadcast: true });
    const doomed = h.fake.userMessage(channelId, "UBOB", "oops, wrong channel", { threadTs: parent.ts });
    const list = h.fake.workspace.messages.get(channelId)!;
    list.splice(list.indexOf(doomed), 1);
    const mark = (ts: string) =>
      h.slack.event({
        type: "reaction_added",
        user: "UDAVE",
        reaction: "pushpin",
        item_user: "UBOB",
        item: { type: "message", channel: channelId, ts },
      });
    await mark(doomed.ts);
    await mark(broadcast.ts);
    const e = await eventually(() => capturedOf(broadcast.ts), 10_000, "captured broadcast reply");
    expect(e.text).toBe("Also sent to the channel");
    await jobsIdle(h, ["timeline-capture"]);
    expect(await capturedOf(doomed.ts)).toBeUndefined();
    expect(h.fake.violations).toEqual([]);
  });
});
