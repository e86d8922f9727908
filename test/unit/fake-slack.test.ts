import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { sign, slackSender } from "../../tools/fake-slack/signed-requests.js";

let fake: FakeSlack;
let slack: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  slack = new WebClient("xoxb-test", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});

afterEach(async () => {
  await fake.close();
});

/** The Slack error code of a rejected WebClient call. */
async function slackError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { data?: { error?: string } }).data?.error ?? String(err);
  }
  throw new Error("expected the call to fail");
}

describe("channels", () => {
  it("creates channels under Slack's name rules and refuses a taken name", async () => {
    const res = await slack.conversations.create({ name: "inc-42-db-down", is_private: true });
    expect(res.channel).toMatchObject({ id: "C0001", name: "inc-42-db-down", is_private: true, is_member: true });
    expect(fake.channelByName("inc-42-db-down")?.members).toEqual(["UBOT"]);

    expect(await slackError(slack.conversations.create({ name: "inc-42-db-down" }))).toBe("name_taken");
    expect(await slackError(slack.conversations.create({ name: "Inc 42" }))).toBe("invalid_name_specials");
    expect(await slackError(slack.conversations.create({ name: "x".repeat(81) }))).toBe("invalid_name_maxlength");
    expect(await slackError(slack.conversations.create({ name: "" }))).toBe("invalid_name_required");

    await slack.conversations.archive({ channel: "C0001" });
    expect(await slackError(slack.conversations.create({ name: "inc-42-db-down" }))).toBe("name_taken");
    expect(await slackError(slack.conversations.archive({ channel: "C0001" }))).toBe("already_archived");
  });

  it("invites, refuses the bot itself and already-present members, and pages conversations.list", async () => {
    const { channel } = await slack.conversations.create({ name: "inc-1" });
    await slack.conversations.invite({ channel: channel!.id!, users: "U1,U2" });
    expect(fake.channel(channel!.id!)?.members).toEqual(["UBOT", "U1", "U2"]);
    expect(await slackError(slack.conversations.invite({ channel: channel!.id!, users: "U1" }))).toBe("already_in_channel");
    expect(await slackError(slack.conversations.invite({ channel: channel!.id!, users: "UBOT" }))).toBe("cant_invite_self");
    expect(await slackError(slack.conversations.invite({ channel: "C9999", users: "U1" }))).toBe("channel_not_found");

    await slack.conversations.create({ name: "inc-2" });
    await slack.conversations.create({ name: "inc-3" });
    const page1 = await slack.conversations.list({ limit: 2, exclude_archived: true });
    expect(page1.channels?.map((c) => c.name)).toEqual(["inc-1", "inc-2"]);
    const page2 = await slack.conversations.list({ limit: 2, cursor: page1.response_metadata?.next_cursor });
    expect(page2.channels?.map((c) => c.name)).toEqual(["inc-3"]);
    expect(page2.response_metadata?.next_cursor).toBe("");

    const dm = await slack.conversations.open({ users: "U7" });
    expect(dm.channel?.id).toMatch(/^D/);
    expect((await slack.conversations.open({ users: "U7" })).channel?.id).toBe(dm.channel?.id);
  });
});

describe("messages and Block Kit", () => {
  it("posts, updates, pins and reads history newest first", async () => {
    const { channel } = await slack.conversations.create({ name: "inc-7" });
    const id = channel!.id!;
    const first = await slack.chat.postMessage({
      channel: id,
      text: "Incident declared",
      metadata: { event_type: "incident_declared", event_payload: { incident: 7 } },
    });
    const second = await slack.chat.postMessage({ channel: id, text: "Update 1" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);

    await slack.chat.update({ channel: id, ts: first.ts!, text: "Incident declared (SEV1)" });
    await slack.pins.add({ channel: id, timestamp: first.ts! });
    expect(await slackError(slack.pins.add({ channel: id, timestamp: first.ts! }))).toBe("already_pinned");
    expect(await slackError(slack.chat.update({ channel: id, ts: "1.2", text: "x" }))).toBe("message_not_found");
    expect(fake.pins(id).map((p) => p.ts)).toEqual([first.ts]);

    const history = await slack.conversations.history({ channel: id, include_all_metadata: true });
    expect(history.messages?.map((m) => m.text)).toEqual(["Update 1", "Incident declared (SEV1)"]);
    expect(history.messages?.[1].metadata?.event_type).toBe("incident_declared");
    const link = await slack.chat.getPermalink({ channel: id, message_ts: first.ts! });
    expect(link.permalink).toBe(`https://fake.slack.test/archives/${id}/p${first.ts!.replace(".", "")}`);
  });

  it("rejects empty and over-limit messages with Slack's errors and records the violations", async () => {
    const { channel } = await slack.conversations.create({ name: "inc-8" });
    const id = channel!.id!;
    expect(await slackError(slack.chat.postMessage({ channel: id, text: "" }))).toBe("no_text");
    expect(await slackError(slack.chat.postMessage({ channel: "C9999", text: "x" }))).toBe("channel_not_found");
    expect(fake.violations).toEqual([]);

    const tooMany = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect(await slackError(slack.chat.postMessage({ channel: id, text: "x", blocks: tooMany }))).toBe("invalid_blocks");
    const longSection = [{ type: "section", text: { type: "mrkdwn", text: "a".repeat(3001) } }];
    const dupActions = [
      {
        type: "actions",
        elements: [
          { type: "button", action_id: "ack", text: { type: "plain_text", text: "b".repeat(76) } },
          { type: "button", action_id: "ack", text: { type: "plain_text", text: "ok" } },
        ],
      },
    ];
    const call = fake.waitForCall("chat.postMessage", (c) => c.args.blocks?.[0]?.type === "section");
    expect(await slackError(slack.chat.postMessage({ channel: id, text: "x", blocks: longSection }))).toBe("invalid_blocks");
    expect((await call).response.errors).toEqual([expect.stringContaining("/blocks/0/text/text")]);
    expect(await slackError(slack.chat.postMessage({ channel: id, text: "x", blocks: dupActions }))).toBe("invalid_blocks");
    expect(fake.violations).toHaveLength(4);
    expect(fake.violations.join("\n")).toMatch(/already used/);
    expect(fake.messages(id)).toHaveLength(0);

    const title = { type: "plain_text" as const, text: "A title that is far too long" };
    expect(await slackError(slack.views.open({ trigger_id: "1.2.3", view: { type: "modal", title, blocks: [] } }))).toBe(
      "invalid_arguments",
    );
  });
});

describe("threads", () => {
  it("keeps replies out of conversations.history (unless broadcast) and serves them from conversations.replies", async () => {
    const { channel } = await slack.conversations.create({ name: "inc-9" });
    const id = channel!.id!;
    const parent = await slack.chat.postMessage({ channel: id, text: "Parent" });
    const r1 = fake.userMessage(id, "UALICE", "First reply", { threadTs: parent.ts! });
    const r2 = await slack.chat.postMessage({ channel: id, text: "Bot reply", thread_ts: parent.ts! });
    const r3 = fake.userMessage(id, "UBOB", "Broadcast reply", { threadTs: parent.ts!, broadcast: true });
    const later = await slack.chat.postMessage({ channel: id, text: "Later" });

    const history = await slack.conversations.history({ channel: id });
    expect(history.messages?.map((m) => m.text)).toEqual(["Later", "Broadcast reply", "Parent"]);
    expect(history.messages?.[2]).toMatchObject({ thread_ts: parent.ts, reply_count: 3, latest_reply: r3.ts });
    // What fetchMessage used to ask for a reply's ts: the newest top-level message before it, not the reply.
    const before = await slack.conversations.history({ channel: id, latest: r1.ts, inclusive: true, limit: 1 });
    expect(before.messages?.[0]?.ts).toBe(parent.ts);

    const thread = await slack.conversations.replies({ channel: id, ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(["Parent", "First reply", "Bot reply", "Broadcast reply"]);
    expect(thread.has_more).toBe(false);
    // By a reply's own ts: the same thread, parent first.
    const byReply = await slack.conversations.replies({ channel: id, ts: r1.ts });
    expect(byReply.messages?.map((m) => m.ts)).toEqual([parent.ts, r1.ts, r2.ts, r3.ts]);
    expect(byReply.messages?.[1]).toMatchObject({ user: "UALICE", thread_ts: parent.ts });
    // oldest/latest narrow the replies; the parent stays first.
    const narrowed = await slack.conversations.replies({ channel: id, ts: r2.ts!, oldest: r2.ts!, latest: r2.ts!, inclusive: true });
    expect(narrowed.messages?.map((m) => m.ts)).toEqual([parent.ts, r2.ts]);
    // Pages of two.
    const page1 = await slack.conversations.replies({ channel: id, ts: parent.ts!, limit: 2 });
    expect(page1.messages?.map((m) => m.text)).toEqual(["Parent", "First reply"]);
    expect(page1.has_more).toBe(true);
    const page2 = await slack.conversations.replies({
      channel: id,
      ts: parent.ts!,
      limit: 2,
      cursor: page1.response_metadata!.next_cursor!,
    });
    expect(page2.messages?.map((m) => m.text)).toEqual(["Bot reply", "Broadcast reply"]);
    expect(page2.has_more).toBe(false);
    // A message without replies is a thread of one.
    expect((await slack.conversations.replies({ channel: id, ts: later.ts! })).messages?.map((m) => m.text)).toEqual(["Later"]);

    expect(await slackError(slack.conversations.replies({ channel: id, ts: "1.000001" }))).toBe("thread_not_found");
    expect(await slackError(slack.conversations.replies({ channel: "C9999", ts: parent.ts! }))).toBe("channel_not_found");

    const link = await slack.chat.getPermalink({ channel: id, message_ts: r1.ts });
    expect(link.permalink).toBe(`https://fake.slack.test/archives/${id}/p${r1.ts.replace(".", "")}?thread_ts=${parent.ts}&cid=${id}`);
  });
});

describe("fault injection", () => {
  it("answers 429 with Retry-After, which the real WebClient waits out and retries", async () => {
    const patient = new WebClient("xoxb-test", {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 },
      rejectRateLimitedCalls: false,
    });
    fake.failNext("auth.test", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const res = await patient.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T0001" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo("auth.test").map((c) => c.status)).toEqual([429, 200]);
  });

  it("injects 5xx, Slack errors and latency", async () => {
    fake.failNext("chat.postMessage", { status: 503, times: 2 });
    fake.failWithError("conversations.create", "ratelimited");
    const err = await slack.chat.postMessage({ channel: "C1", text: "x" }).catch((e) => e);
    expect(err.code).toBe("slack_webapi_http_error");
    expect(err.statusCode).toBe(503);
    await slack.chat.postMessage({ channel: "C1", text: "x" }).catch(() => undefined);
    expect(await slackError(slack.conversations.create({ name: "ok-name" }))).toBe("ratelimited");
    expect(fake.channelByName("ok-name")).toBeUndefined();
    expect(fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([503, 503]);
    expect(fake.callsTo("chat.postMessage")[0].response).toBe("Service Unavailable");

    fake.setLatency(80, "auth.test");
    const started = Date.now();
    await slack.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("holds a method until released, and rejects unknown methods and bad tokens", async () => {
    fake.hold("conversations.create");
    const pending = slack.conversations.create({ name: "held" });
    const held = await fake.waitForCall("conversations.create");
    expect(held).toMatchObject({ held: true, pending: true, args: { name: "held" } });
    expect(fake.channelByName("held")).toBeUndefined();
    fake.release("conversations.create");
    expect((await pending).channel?.name).toBe("held");

    expect(await slackError(slack.apiCall("nope.never"))).toBe("unknown_method");
    const stranger = new WebClient("not-a-token", { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await slackError(stranger.auth.test())).toBe("invalid_auth");
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect(await slackError(anonymous.auth.test())).toBe("not_authed");
  });
});

describe("a caller that dies mid-flight", () => {
  it("still applies a held call on release, as Slack would have, while the caller never hears back", async () => {
    fake.hold("chat.postMessage");
    await slack.conversations.create({ name: "inc-10" });
    const caller = new AbortController();
    const request = fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: "Bearer xoxb-test", "content-type": "application/json" },
      body: JSON.stringify({ channel: "inc-10", text: "Timeline entry" }),
      signal: caller.signal,
    }).catch((e: Error) => e.name);
    await fake.waitForCall("chat.postMessage");
    caller.abort(); // the app process is killed while Slack holds the request
    expect(await request).toBe("AbortError");
    fake.release("chat.postMessage");
    const done = await fake.waitForCall("chat.postMessage", (c) => !c.pending);
    expect(done.response).toMatchObject({ ok: true, channel: "C0001" });
    expect(fake.messages("C0001").map((m) => m.text)).toEqual(["Timeline entry"]);
  });

  it("records Block Kit violations without failing when strictBlocks is off", async () => {
    const lenient = await startFakeSlack({ strictBlocks: false });
    try {
      const client = new WebClient("xoxb-test", { slackApiUrl: lenient.apiUrl, retryConfig: { retries: 0 } });
      await client.conversations.create({ name: "inc-11" });
      const header = { type: "header", text: { type: "plain_text" as const, text: "h".repeat(151) } };
      await client.chat.postMessage({ channel: "C0001", text: "x", blocks: [header] });
      expect(lenient.violations).toEqual([expect.stringMatching(/^chat\.postMessage: .*\/blocks\/0\/text\/text/)]);
    } finally {
      await lenient.close();
    }
  });
});

describe("files, response_url and signing", () => {
  it("runs the external upload flow and shares the file into the channel", async () => {
    const { channel } = await slack.conversations.create({ name: "inc-9" });
    const id = channel!.id!;
    const bytes = Buffer.from("postmortem draft\n");
    const url = await slack.files.getUploadURLExternal({ filename: "review.md", length: bytes.length });
    expect(url.file_id).toMatch(/^F/);
    expect(url.upload_url?.startsWith(fake.baseUrl)).toBe(true);
    const put = await fetch(url.upload_url!, { method: "POST", body: bytes });
    expect(put.status).toBe(200);
    await slack.files.completeUploadExternal({
      files: [{ id: url.file_id!, title: "Review draft" }],
      channel_id: id,
      initial_comment: "Draft attached",
    });
    expect(fake.uploads).toEqual([
      expect.objectContaining({ fileId: url.file_id, title: "Review draft", channels: [id], completed: true }),
    ]);
    expect(fake.uploads[0].bytes?.toString()).toBe("postmortem draft\n");
    const [msg] = fake.messages(id);
    expect(msg.text).toBe("Draft attached");
    expect(msg.files?.[0]).toMatchObject({ id: url.file_id, title: "Review draft" });
  });

  it("records response_url posts as ephemerals", async () => {
    const url = fake.responseUrl("cmd-1");
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Only you can see this", response_type: "ephemeral" }),
    });
    expect(res.status).toBe(200);
    expect(fake.ephemerals).toEqual([
      expect.objectContaining({
        via: "response_url",
        id: "cmd-1",
        body: expect.objectContaining({ text: "Only you can see this" }),
      }),
    ]);
  });

  it("signs like Slack: v0= hex HMAC-SHA256 of v0:timestamp:body", () => {
    const body = "command=%2Fincident&text=db+down";
    const headers = sign("shh", body, 1_700_000_000);
    const expected = createHmac("sha256", "shh").update(`v0:1700000000:${body}`).digest("hex");
    expect(headers).toEqual({ "x-slack-signature": `v0=${expected}`, "x-slack-request-timestamp": "1700000000" });
  });

  it("drives a real Bolt app: signed slash command, ack, respond() into the fake", async () => {
    const signingSecret = "test-signing-secret";
    const app = new App({
      signingSecret,
      token: "xoxb-test",
      botId: "BBOT",
      botUserId: "UBOT",
      clientOptions: { slackApiUrl: fake.apiUrl },
    });
    app.command("/incident", async ({ ack, respond }) => {
      await ack();
      await respond("hi");
    });
    const server = await app.start(0);
    try {
      const { port } = server.address() as AddressInfo;
      const sender = slackSender({ appUrl: `http://127.0.0.1:${port}`, signingSecret, fake });
      const res = await sender.command("/incident", "declare db down", { userId: "U123", channelId: "CGENERAL" });
      expect(res.status).toBe(200);
      await expect.poll(() => fake.ephemerals.length).toBe(1);
      expect(fake.ephemerals[0]).toMatchObject({ via: "response_url", body: { text: "hi" } });
      expect(res.responseUrl).toContain(fake.baseUrl);

      const forged = await sender.raw("command=%2Fincident", "application/x-www-form-urlencoded", {
        "x-slack-signature": "v0=0000",
      });
      expect(forged.status).toBe(401);
    } finally {
      await app.stop();
    }
  });

  it("sends block actions, view submissions and events that Bolt routes to listeners", async () => {
    const signingSecret = "test-signing-secret";
    const app = new App({
      signingSecret,
      token: "xoxb-test",
      botId: "BBOT",
      botUserId: "UBOT",
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    const seen: Record<string, unknown> = {};
    app.command("/incident", async ({ ack, client, body }) => {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: "modal",
          callback_id: "declare",
          title: { type: "plain_text", text: "Declare" },
          submit: { type: "plain_text", text: "Go" },
          blocks: [
            {
              type: "input",
              block_id: "sev",
              label: { type: "plain_text", text: "Severity" },
              element: {
                type: "static_select",
                action_id: "pick",
                options: [{ text: { type: "plain_text", text: "SEV1" }, value: "1" }],
              },
            },
          ],
        },
      });
    });
    app.action("ack", async ({ ack, body }) => {
      await ack();
      seen.action = body;
    });
    app.view("declare", async ({ ack, view }) => {
      await ack();
      seen.values = view.state.values;
    });
    app.event("app_mention", async ({ event, body }) => {
      seen.event = { text: event.text, eventId: body.event_id };
    });
    const server = await app.start(0);
    try {
      const { port } = server.address() as AddressInfo;
      const sender = slackSender({ appUrl: `http://127.0.0.1:${port}`, signingSecret, fake });

      expect((await sender.command("/incident", "", { userId: "U1", channelId: "C777" })).status).toBe(200);
      const opened = await fake.waitForCall("views.open");
      expect(opened.response).toMatchObject({ ok: true, view: { callback_id: "declare" } });

      const viewId = opened.response.view.id;
      const submitted = await sender.viewSubmission({
        userId: "U1",
        callbackId: "declare",
        viewId,
        values: { sev: { pick: "1" } },
      });
      expect(submitted.status).toBe(200);
      expect(seen.values).toEqual({
        sev: { pick: { type: "static_select", selected_option: { text: expect.anything(), value: "1" } } },
      });

      const { ts } = await slack.chat.postMessage({
        channel: "C777",
        text: "Incident",
        blocks: [
          {
            type: "actions",
            block_id: "controls",
            elements: [{ type: "button", action_id: "ack", text: { type: "plain_text", text: "Ack" }, value: "7" }],
          },
        ],
      });
      await sender.blockAction({ userId: "U1", channelId: "C777", messageTs: ts, actionId: "ack", value: "7" });
      expect(seen.action).toMatchObject({
        type: "block_actions",
        actions: [{ type: "button", action_id: "ack", block_id: "controls", value: "7" }],
        message: { ts, text: "Incident" },
        container: { type: "message", channel_id: "C777", message_ts: ts },
      });

      const evt = await sender.event(
        { type: "app_mention", text: "<@UBOT> status", user: "U1", channel: "C777" },
        {
          eventId: "Ev1",
        },
      );
      expect(evt.status).toBe(200);
      await expect.poll(() => seen.event).toEqual({ text: "<@UBOT> status", eventId: "Ev1" });
      expect(fake.violations).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
