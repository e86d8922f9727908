import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { slackSender } from "../../tools/fake-slack/signed-requests.js";
import { type ChildApp, startChildApp } from "../helpers/child-app.js";
import { childAppDatabase } from "../helpers/child-app-db.js";
import { eventually, SIGNING_SECRET } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

/**
 * Issue 11: an acknowledged `/incident declare` must survive a kill -9 at any moment after its ack.
 * A burst of declarations is fired at an app in its own process, which is killed at a seeded random
 * moment after the first ack; the restarted app (same database) must hold every acknowledged one
 * exactly once and give it exactly one channel. Redelivering every request (same trigger_id, as a Slack
 * retry would) afterwards must create nothing twice.
 */

const kinds = await dbKinds();
const N = 15;
const ROUNDS = 3;
const MAX_KILL_DELAY_MS = 300;
const SEED = Number(process.env.KILL_SEED ?? 0x5eed11);

/** mulberry32: a small seeded PRNG, so a failing round can be replayed with KILL_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const title = (round: number, i: number) => `kill-${round}-${i}`;
const channelPattern = (t: string) => new RegExp(`^inc-\\d{8}-${t}(-\\d+)?$`);

/** Names of the channels the fake Slack really created (successful conversations.create). */
function createdNames(fake: FakeSlack): string[] {
  return fake
    .callsTo("conversations.create")
    .filter((c) => c.status === 200 && c.response?.ok)
    .map((c) => c.args.name as string);
}

/** Waits until every title has a created channel; fails naming the ones that never got one. */
async function waitForChannels(fake: FakeSlack, titles: string[], timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  let missing = titles;
  while (Date.now() < deadline) {
    const names = createdNames(fake);
    missing = titles.filter((t) => !names.some((n) => channelPattern(t).test(n)));
    if (!missing.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: no channel after ${timeoutMs} ms for ${missing.length}/${titles.length}: ${missing.join(", ")}`);
}

describe.each(kinds)("kill -9 right after acknowledging declarations (%s)", (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it(`keeps every acknowledged declaration, once, with one channel (${ROUNDS} rounds of ${N})`, { timeout: 180_000 }, async () => {
    const fake = await startFakeSlack();
    cleanups.push(() => fake.close());
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: "xoxb-kill-test",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PACING: "false",
      JOB_POLL_SECONDS: "0.5",
      PROVISION_LEASE_SECONDS: "2", // a lease held by the killed process runs out quickly
    };
    const database = await childAppDatabase(kind, "kill-declare", cleanups);
    Object.assign(env, database.env);

    const random = prng(SEED + (kind === "pg" ? 1 : 0));
    let app: ChildApp = await startChildApp(env);
    cleanups.push(async () => void (await app.kill()));
    const ackedAll: string[] = [];
    const report: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      // Stratified over 0–MAX_KILL_DELAY_MS: each run kills early, midway and late in a burst.
      const delay = Math.floor(((round + random()) * MAX_KILL_DELAY_MS) / ROUNDS);
      const sender = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
      const victim = app;
      let killTimer: NodeJS.Timeout | undefined;
      let killed: Promise<number | null> | undefined;
      const onAck = () => {
        killTimer ??= setTimeout(() => (killed = victim.kill("SIGKILL")), delay);
      };
      const triggers = Array.from({ length: N }, (_, i) => `kill-${kind}-${round}-${i}-${SEED}`);
      const results = await Promise.all(
        triggers.map(
          (triggerId, i) =>
            sender
              .command("/incident", `declare P2 ${title(round, i)}`, { userId: "UKILL", channelId: "CGENERAL", triggerId })
              .then((res) => {
                if (res.status === 200) onAck();
                return res.status;
              })
              .catch(() => 0), // the connection died with the process: not acknowledged
        ),
      );
      if (!killTimer) throw new Error(`round ${round}: no request was acknowledged`);
      // Every request got an answer before the timer fired: kill now (still an abrupt stop mid-work).
      if (!killed) {
        clearTimeout(killTimer);
        killed = victim.kill("SIGKILL");
      }
      expect(await killed).toBe(null);
      const acked = results.flatMap((s, i) => (s === 200 ? [title(round, i)] : []));
      ackedAll.push(...acked);
      report.push(`round ${round}: kill ${delay} ms after the first ack, ${acked.length}/${N} acknowledged`);

      app = await startChildApp(env);
      await waitForChannels(fake, acked, 20_000, `${kind} round ${round} (seed ${SEED}, kill at +${delay} ms)`);

      // Slack redelivers every request of the burst (same trigger_id): nothing may be declared twice.
      const again = slackSender({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake });
      const redelivered = await Promise.all(
        triggers.map((triggerId, i) =>
          again.command("/incident", `declare P2 ${title(round, i)}`, { userId: "UKILL", channelId: "CGENERAL", triggerId }),
        ),
      );
      expect(redelivered.map((r) => r.status)).toEqual(Array(N).fill(200));
      await waitForChannels(
        fake,
        triggers.map((_, i) => title(round, i)),
        20_000,
        `${kind} round ${round} after redelivery`,
      );
    }
    console.log(`[kill-declare ${kind}] seed ${SEED}\n  ${report.join("\n  ")}`);

    // Let the last app finish provisioning (header and playbook pinned everywhere), stop it gracefully,
    // then read the database it leaves behind (PGlite's directory can only be opened once it is closed).
    const unpinned = () => createdNames(fake).filter((n) => fake.pins(fake.channelByName(n)!.id).length !== 2);
    await eventually(() => !unpinned().length, 30_000, "every channel's pins").catch((e) => {
      throw new Error(`${e.message}; channels without both pins: ${unpinned().join(", ")}\n${app.output().slice(-3000)}`);
    });
    expect(await app.kill("SIGTERM")).toBe(0);
    const db = await database.open();
    try {
      const incidents = await db.prisma.incident.findMany({ where: { title: { startsWith: "kill-" } } });
      const byTitle = new Map<string, typeof incidents>();
      for (const inc of incidents) byTitle.set(inc.title, [...(byTitle.get(inc.title) ?? []), inc]);
      const twice = [...byTitle].filter(([, incs]) => incs.length > 1).map(([t]) => t);
      expect(twice, "declared more than once").toEqual([]);
      const lost = ackedAll.filter((t) => !byTitle.has(t));
      expect(lost, "acknowledged but not in the database").toEqual([]);
      expect(byTitle.size).toBe(N * ROUNDS); // the redelivery declared the unacknowledged ones
      const names = createdNames(fake);
      for (const [t, [inc]] of byTitle) {
        expect(inc!.provisionedAt, `${t} provisioned`).not.toBeNull();
        expect(
          names.filter((n) => n === inc!.channelName),
          `${t}: channel created once`,
        ).toHaveLength(1);
        expect(
          names.filter((n) => channelPattern(t).test(n)),
          `${t}: no second channel`,
        ).toHaveLength(1);
        expect(fake.channel(inc!.channelId!)?.members).toContain("UKILL");
      }
    } finally {
      await database.close();
    }
  });
});
