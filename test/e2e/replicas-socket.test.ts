import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { socketModeLink } from "../helpers/socket-link.js";
import { createTestDb, dbKinds, type TestDb } from "../helpers/test-db.js";

/**
 * Issue 13 (4): Socket Mode with several connections, one per replica, on one PostgreSQL. Slack hands each
 * delivery to one connection, and a redelivery (a retry) may land on another: each is handled once.
 */
const kinds = await dbKinds();
const REPLICAS = 3;

describe.runIf(kinds.includes("pg"))("Socket Mode with 3 connections on one PostgreSQL (pg)", () => {
  let fake: FakeSlack;
  let link: Awaited<ReturnType<typeof socketModeLink>>;
  let db: TestDb;
  const apps: Harness[] = [];
  let sockets: WebSocket[] = [];
  const acks: string[] = [];
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    link = await socketModeLink(fake, REPLICAS, (m) => {
      if (m.envelope_id) acks.push(m.envelope_id);
    });
    sockets = link.sockets;
    db = await createTestDb("pg");
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    for (let i = 0; i < REPLICAS; i++) {
      apps.push(
        await startHarness("pg", {
          fake,
          db,
          log: pino({ level: "info" }, sink),
          env: { SLACK_SOCKET_MODE: "true", SLACK_APP_TOKEN: "xapp-1-A0001-test", SLACK_SIGNING_SECRET: "", PORT: "0" },
        }),
      );
    }
    await eventually(() => sockets.length >= REPLICAS, 10_000, "3 connections");
  }, 60_000);
  afterAll(async () => {
    for (const a of apps) await a.close({ keepDb: true, keepFake: true });
    await link?.close();
    await db?.close();
    await fake?.close();
  });

  const homeOpened = (envelopeId: string, eventId: string, user: string) =>
    JSON.stringify({
      envelope_id: envelopeId,
      type: "events_api",
      accepts_response_payload: false,
      payload: {
        token: "legacy",
        team_id: "T0001",
        api_app_id: "A0001",
        type: "event_callback",
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: "app_home_opened", user, channel: "D0001", tab: "home", event_ts: `${Date.now() / 1000}` },
      },
    });

  it("every envelope is acked, and one event delivered to all 3 connections is handled by one", async () => {
    // One event per connection (normal spreading), then one event redelivered to every connection.
    sockets.forEach((s, i) => s.send(homeOpened(`env-own-${i}`, `Ev-own-${i}`, `UHOME${i}`)));
    sockets.forEach((s, i) => s.send(homeOpened(`env-again-${i}`, "Ev-shared", "USHARED")));
    await eventually(() => acks.length >= 2 * REPLICAS, 5000, "every envelope acked");
    expect([...acks].sort()).toEqual([...sockets.map((_, i) => `env-again-${i}`), ...sockets.map((_, i) => `env-own-${i}`)].sort());
    // Recorded once per delivery id, and the two extra copies refused by whichever connections got them.
    await eventually(async () => (await db.prisma.slackDelivery.count()) === REPLICAS + 1, 5000, "deliveries recorded");
    // The refusals are logged just after the losing connections' inserts fail: wait for both lines.
    const refused = () => logs.filter((l) => l.msg === "Slack delivery already handled by another connection");
    await eventually(() => refused().length >= 2, 5000, "two refusals logged");
    expect(refused().map((l) => l.delivery)).toEqual(["event:Ev-shared", "event:Ev-shared"]);
    // The handled ones did their work: each user's Home tab is published.
    await eventually(
      () => ["UHOME0", "UHOME1", "UHOME2", "USHARED"].every((u) => fake.callsTo("views.publish").some((c) => c.args.user_id === u)),
      15_000,
      "Home tabs published",
    );
  });
});
