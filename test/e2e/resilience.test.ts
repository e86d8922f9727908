import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { slackSender } from "../../tools/fake-slack/signed-requests.js";
import { METADATA } from "../../src/chat/ids.js";
import { startChildApp } from "../helpers/child-app.js";
import { childAppDatabase } from "../helpers/child-app-db.js";
import { declareAndProvision, eventually, type Harness, runCommand, SIGNING_SECRET, startHarness } from "../helpers/harness.js";
import { dbKinds, type TestDbKind } from "../helpers/test-db.js";

const kinds = await dbKinds();

describe.each(kinds)("Slack is slow, rate-limited or failing (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("acknowledges every command within 3 s while each Slack call takes 2 s, and still finishes the work", async () => {
    h.fake.setLatency(2000);
    try {
      const res = await h.slack.command("/incident", "declare P2 Slow Slack day", { userId: "USLOW", channelId: "CGENERAL" });
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(3000);
      const help = await h.slack.command("/incident", "help", { userId: "USLOW", channelId: "CGENERAL" });
      expect(help.ms).toBeLessThan(3000);
    } finally {
      h.fake.setLatency(0);
    }
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { title: "Slow Slack day", provisionedAt: { not: null } } }),
      30_000,
      "provisioned after slowness",
    );
    expect(h.fake.pins(inc.channelId!)).toHaveLength(2);
  });

  it("honours 429 Retry-After and retries 5xx without doing anything twice", async () => {
    h.fake.failNext("conversations.create", { status: 429, retryAfter: 1 });
    h.fake.failNext("chat.postMessage", { status: 503, times: 5 });
    h.fake.failNext("pins.add", { status: 500, times: 2 });
    const before = h.fake.callsTo("conversations.create").filter((c) => c.status === 200).length;
    const inc = await declareAndProvision(h, "P2 Flaky Slack");
    const created = h.fake.callsTo("conversations.create").filter((c) => c.status === 200);
    expect(created.length - before).toBe(1);
    expect(h.fake.callsTo("conversations.create").some((c) => c.status === 429)).toBe(true);
    const messages = h.fake.messages(inc.channelId!);
    expect(messages.filter((m: any) => m.metadata?.event_type === METADATA.header)).toHaveLength(1);
    expect(messages.filter((m: any) => m.metadata?.event_type === METADATA.playbook)).toHaveLength(1);
    expect(h.fake.pins(inc.channelId!)).toHaveLength(2);
  });

  it("records a Slack failure on the timeline and keeps retrying until Slack recovers", async () => {
    h.fake.failWithError("conversations.invite", "fatal_error", 2);
    const inc = await declareAndProvision(h, "P3 Invites fail at first");
    const failed = await h.db.prisma.timelineEvent.findMany({ where: { incidentId: inc.id, kind: "slack.call.failed" } });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({ step: "invite", error: "fatal_error" });
    expect(h.fake.channel(inc.channelId!)?.members).toContain("UDECL");
  });

  it("answers Slack retries of the same declaration (same trigger) with the first incident", async () => {
    const first = await runCommand(h, "/incident", "declare P3 Retried by Slack", { userId: "URETRY", channelId: "CGENERAL" });
    expect(first.text).toMatch(/declared/);
    const raw = new URLSearchParams({
      command: "/incident",
      text: "declare P3 Retried by Slack",
      user_id: "URETRY",
      channel_id: "CGENERAL",
      team_id: "T0001",
      trigger_id: "same-trigger",
      response_url: h.fake.responseUrl("r1"),
    }).toString();
    await h.slack.raw(raw, "application/x-www-form-urlencoded");
    await h.slack.raw(raw, "application/x-www-form-urlencoded", { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" });
    await eventually(() => h.fake.ephemerals.filter((e: any) => e.id === "r1").length === 2);
    expect(await h.db.prisma.incident.count({ where: { title: "Retried by Slack" } })).toBe(2); // the two distinct triggers
    expect(await h.db.prisma.incident.count({ where: { requestKey: "cmd:same-trigger" } })).toBe(1);
  });

  it("refuses unsigned and stale requests", async () => {
    const body = "command=%2Fincident&text=help";
    const bad = await h.slack.raw(body, "application/x-www-form-urlencoded", { "x-slack-signature": "v0=deadbeef" });
    expect(bad.status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 600;
    const stale = await h.slack.raw(body, "application/x-www-form-urlencoded", { "x-slack-request-timestamp": String(old) });
    expect(stale.status).toBe(401);
  });
});

/** Environment for an app in its own process on a fresh database of `kind` (removed by the cleanups). */
async function childAppEnv(kind: TestDbKind, fake: FakeSlack, cleanups: (() => Promise<void>)[]): Promise<Record<string, string>> {
  return {
    SLACK_BOT_TOKEN: "xoxb-child-test",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_PACING: "false",
    JOB_POLL_SECONDS: "0.5",
    PROVISION_LEASE_SECONDS: "2",
    ...(await childAppDatabase(kind, "inc-child", cleanups)).env,
  };
}

describe.each(kinds)("a process stopped in the middle of its work (%s)", (kind) => {
  let fake: FakeSlack; // a fresh fake Slack per test: each one counts the calls it saw
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
    await fake.close();
  });

  it("killed mid-declare: is finished by the restarted process with nothing done twice", async () => {
    const env = await childAppEnv(kind, fake, cleanups);
    let app = await startChildApp(env);
    cleanups.push(async () => void (await app.kill()));
    fake.hold("chat.postMessage");
    const sender = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
    const res = await sender.command("/incident", "declare P1 Killed while posting", { userId: "UKILL", channelId: "CGENERAL" });
    expect(res.status).toBe(200);
    await fake.waitForCall("chat.postMessage", (c) => c.args.metadata?.event_type === METADATA.header, 20_000);
    expect(await app.kill("SIGKILL")).toBe(null);
    fake.release("chat.postMessage", { apply: true }); // Slack did post it; the dead process never heard back

    app = await startChildApp(env);
    const channel = await eventually(
      () => fake.channelByName(fake.calls.find((c) => c.method === "conversations.create")!.args.name),
      10_000,
    );
    await eventually(() => fake.pins(channel.id).length === 2, 30_000, "both messages pinned after restart");
    const messages = fake.messages(channel.id);
    expect(messages.filter((m: any) => m.metadata?.event_type === METADATA.header)).toHaveLength(1);
    expect(messages.filter((m: any) => m.metadata?.event_type === METADATA.playbook)).toHaveLength(1);
    expect(fake.callsTo("conversations.create").filter((c) => c.status === 200)).toHaveLength(1);
    expect(channel.members).toContain("UKILL");
  }, 150_000); // two child-process start-ups on a loaded 2-core machine

  it("SIGTERM in the middle of a burst: exits promptly, loses no acknowledged declaration, and the restarted process finishes them all", async () => {
    const env = await childAppEnv(kind, fake, cleanups);
    let app = await startChildApp(env);
    cleanups.push(async () => void (await app.kill()));
    fake.setLatency(300); // every Slack call (and the commands' replies) is slow: work is in flight at the stop
    fake.hold("conversations.create");
    const sender = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
    const N = 8;
    const acks = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        sender.command("/incident", `declare P2 Stopped mid burst ${i}`, { userId: "UTERM", channelId: "CGENERAL" }),
      ),
    );
    expect(acks.map((r) => r.status)).toEqual(Array(N).fill(200));
    const stopped = performance.now();
    const code = await app.kill("SIGTERM");
    expect(code).toBe(0);
    expect(performance.now() - stopped).toBeLessThan(40_000); // the stop's own deadline is 30 s
    expect(app.output()).not.toMatch(/command failed|Unknown transaction status/);
    fake.release("conversations.create", { apply: false }); // the stopped process never got its answers
    fake.setLatency(0);

    app = await startChildApp(env);
    const created = () =>
      new Set(
        fake
          .callsTo("conversations.create")
          .filter((c) => c.status === 200)
          .map((c) => c.args.name),
      );
    await eventually(() => created().size === N, 30_000, "every acknowledged declaration got its channel");
    for (const name of created()) {
      const channel = fake.channelByName(name)!;
      await eventually(() => fake.pins(channel.id).length === 2, 30_000, `${name}: header and playbook pinned`);
    }
    expect(fake.callsTo("conversations.create").filter((c) => c.status === 200)).toHaveLength(N);
  }, 150_000); // two child starts, a stop allowed up to 40 s and the finishing: over 30 s on a loaded machine
});
