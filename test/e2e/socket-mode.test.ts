import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { type FakeSlack, startFakeSlack } from "../../tools/fake-slack/server.js";
import { freePort } from "../helpers/child-app.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";
import { socketModeLink } from "../helpers/socket-link.js";

/**
 * SLACK_SOCKET_MODE=true: the app opens its connection through SLACK_API_URL (apps.connections.open with
 * the xapp- token), receives envelopes over a WebSocket, acks them, and still serves its HTTP routes on PORT.
 */
describe("Socket Mode", () => {
  let fake: FakeSlack;
  let link: Awaited<ReturnType<typeof socketModeLink>>;
  let h: Harness;
  let port: number;
  let sockets: WebSocket[] = [];
  const received: any[] = [];

  beforeAll(async () => {
    fake = await startFakeSlack();
    link = await socketModeLink(fake, 1, (m) => received.push(m));
    sockets = link.sockets;
    port = await freePort();
    h = await startHarness("pglite", {
      fake,
      env: { SLACK_SOCKET_MODE: "true", SLACK_APP_TOKEN: "xapp-1-A0001-test", SLACK_SIGNING_SECRET: "", PORT: String(port) },
    });
  });
  afterAll(async () => {
    await h?.close({ keepFake: true });
    await link?.close();
    await fake.close();
  });

  it("connects through SLACK_API_URL with the app token and serves /healthz on PORT", async () => {
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(sockets.length).toBeGreaterThanOrEqual(1);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });

  it("acks a slash command envelope within 3 s and declares the incident", async () => {
    const started = Date.now();
    sockets[0]!.send(
      JSON.stringify({
        envelope_id: "env-1",
        type: "slash_commands",
        accepts_response_payload: true,
        payload: {
          token: "legacy",
          team_id: "T0001",
          team_domain: "fake",
          channel_id: "CGENERAL",
          channel_name: "general",
          user_id: "USOCKET",
          user_name: "sock",
          command: "/incident",
          text: "declare P2 Declared over Socket Mode",
          api_app_id: "A0001",
          is_enterprise_install: "false",
          response_url: fake.responseUrl("sock-1"),
          trigger_id: "trigger-sock-1",
        },
      }),
    );
    const ack = await eventually(() => received.find((m) => m.envelope_id === "env-1"), 3000, "envelope ack");
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack.envelope_id).toBe("env-1");
    const inc = await eventually(
      () => h.db.prisma.incident.findFirst({ where: { title: "Declared over Socket Mode", provisionedAt: { not: null } } }),
      15_000,
      "provisioned",
    );
    expect(fake.channel(inc.channelId!)?.members).toContain("USOCKET");
    await eventually(
      () => fake.ephemerals.find((e: any) => e.id === "sock-1" && /declared/.test(e.body?.text ?? "")),
      10_000,
      "reply via response_url",
    );
  });
});
