import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, type RecordedCall, startFakeSlack } from "../../tools/fake-slack/server.js";
import { slackSender } from "../../tools/fake-slack/signed-requests.js";
import { ALERT_TOKEN, postAlert } from "../helpers/alerts.js";
import type { ChildApp } from "../helpers/child-app.js";
import { eventually, SIGNING_SECRET } from "../helpers/harness.js";
import { emptyPgSchema, replicaEnv, roundRobinProxy, startReplicas } from "../helpers/replicas.js";
import { dbKinds } from "../helpers/test-db.js";

/**
 * Issue 13: three app processes on one fresh PostgreSQL behind a round-robin proxy. Declarations, an alert
 * storm and a rolling restart behave exactly once; Slack pacing (a short window here, real tier numbers) is
 * shared by the replicas, and a 429 holds back every replica.
 */
const kinds = await dbKinds();
const WINDOW_MS = 2000;
const TIER = 20; // pins.add and conversations.create: Tier 2, 20 per window

const ok = (c: RecordedCall) => c.status === 200 && c.response?.ok === true;

/** The most calls seen in any window of `ms` (sliding), from the fake's arrival times. */
function busiestWindow(calls: RecordedCall[], ms: number): number {
  const at = calls.map((c) => c.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe.runIf(kinds.includes("pg"))("3 replicas on one PostgreSQL behind a round-robin proxy (pg)", () => {
  let fake: FakeSlack;
  let db: Awaited<ReturnType<typeof emptyPgSchema>>;
  let apps: ChildApp[] = [];
  const upstreams: string[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobinProxy>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeSlack();
    db = await emptyPgSchema();
    env = replicaEnv(fake.apiUrl, db, SIGNING_SECRET, {
      SLACK_PACING: "true",
      SLACK_PACING_WINDOW_MS: String(WINDOW_MS),
      JOB_POLL_SECONDS: "0.5",
      ALERT_WEBHOOK_TOKEN: ALERT_TOKEN,
      PROVISION_LEASE_SECONDS: "3",
    });
    // Started together on the empty schema (point 1).
    apps = await startReplicas(3, env);
    upstreams.push(...apps.map((a) => a.url));
    proxy = await roundRobinProxy(upstreams);
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await Promise.all(apps.map((a) => a.kill()));
    await db?.drop();
    await fake?.close();
  });

  it(
    "20 concurrent declarations: 20 channels, each created once and its 2 messages pinned once, under a shared tier",
    { timeout: 60_000 },
    async () => {
      const sender = slackSender({ appUrl: proxy.url, signingSecret: SIGNING_SECRET, fake });
      // A 429 on pins.add part-way: every replica must hold pins.add back for its Retry-After.
      let limitedAt = 0;
      const watch = setInterval(() => {
        if (!limitedAt && fake.callsTo("pins.add").length >= 6) {
          fake.failNext("pins.add", { status: 429, retryAfter: 1 });
          limitedAt = -1;
        }
      }, 5);
      const titles = Array.from({ length: 20 }, (_, i) => `replica-decl-${i}`);
      const results = await Promise.all(
        titles.map((t, i) =>
          sender.command("/incident", `declare P2 ${t}`, { userId: "UREP", channelId: "CGENERAL", triggerId: `rep-${i}` }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      await eventually(() => fake.callsTo("pins.add").filter(ok).length >= 40, 45_000, "40 messages pinned");
      clearInterval(watch);

      const creates = fake.callsTo("conversations.create").filter(ok);
      expect(creates).toHaveLength(20);
      for (const t of titles)
        expect(
          creates.filter((c) => c.args.name.endsWith(t)),
          t,
        ).toHaveLength(1);
      const pins = fake.callsTo("pins.add");
      const pinned = pins.filter(ok);
      expect(pinned).toHaveLength(40);
      // No message pinned twice: no `already_pinned`, one successful pin per (channel, ts).
      expect(pins.filter((c) => c.response?.error === "already_pinned")).toEqual([]);
      expect(new Set(pinned.map((c) => `${c.args.channel}/${c.args.timestamp}`)).size).toBe(40);
      // Shared pacing: the three replicas together stay within the tier in every window (counted at the fake, so
      // one call of slack between a grant and its arrival; unshared, three replicas would send up to 3 × TIER).
      expect(busiestWindow(pinned, WINDOW_MS)).toBeLessThanOrEqual(TIER + 1);
      expect(busiestWindow(creates, WINDOW_MS)).toBeLessThanOrEqual(TIER + 1);
      // After the 429 no replica sent pins.add during its Retry-After (calls already on their way aside).
      const limited = pins.find((c) => c.status === 429);
      expect(limited).toBeDefined();
      const during = pins.filter((c) => c.at > limited!.at + 300 && c.at < limited!.at + 900);
      expect(during).toEqual([]);
    },
  );

  it("an alert storm through the proxy opens one incident per group", { timeout: 30_000 }, async () => {
    const GROUPS = 4;
    const alert = (g: number) => ({
      source: "storm",
      title: `Replica storm group ${g}`,
      fingerprint: `replica-storm/${g}`, // one group = one fingerprint, sent 15 times
      severity: "critical",
      service: "api",
    });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => postAlert(proxy.url, "generic", alert(i % GROUPS))));
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(202));
    const ids = new Set(results.flatMap((r) => r.json.incidents as number[]));
    expect(ids.size).toBe(GROUPS);
    await eventually(
      () =>
        Array.from(
          { length: GROUPS },
          (_, g) => fake.callsTo("conversations.create").filter((c) => ok(c) && c.args.name.includes(`replica-storm-group-${g}`)).length,
        ).every((n) => n === 1),
      30_000,
      "one channel per group",
    );
  });

  it("a rolling restart with declarations in flight loses and doubles nothing", { timeout: 90_000 }, async () => {
    const sender = slackSender({ appUrl: proxy.url, signingSecret: SIGNING_SECRET, fake });
    const titles: string[] = [];
    let sending = true;
    // Declarations keep arriving while the replicas are replaced one by one; Slack redelivers an unanswered one.
    const flow = (async () => {
      for (let i = 0; sending || i < 12; i++) {
        const t = `rolling-${i}`;
        titles.push(t);
        for (;;) {
          const r = await sender
            .command("/incident", `declare P2 ${t}`, { userId: "UROLL", channelId: "CGENERAL", triggerId: `roll-${i}` })
            .catch(() => ({ status: 0 }));
          if (r.status === 200) break;
          await new Promise((res) => setTimeout(res, 100));
        }
        await new Promise((res) => setTimeout(res, 150));
      }
    })();
    for (let i = 0; i < apps.length; i++) {
      const old = apps[i]!;
      await old.kill("SIGTERM");
      const [fresh] = await startReplicas(1, env);
      apps[i] = fresh!;
      upstreams[i] = fresh!.url;
    }
    sending = false;
    await flow;
    await eventually(
      () => titles.every((t) => fake.callsTo("conversations.create").some((c) => ok(c) && c.args.name.endsWith(t))),
      45_000,
      "every rolling declaration has its channel",
    );
    const creates = fake.callsTo("conversations.create").filter(ok);
    for (const t of titles)
      expect(
        creates.filter((c) => c.args.name.endsWith(t)),
        t,
      ).toHaveLength(1);
    const pins = fake.callsTo("pins.add");
    expect(pins.filter((c) => c.response?.error === "already_pinned")).toEqual([]);
  });
});
