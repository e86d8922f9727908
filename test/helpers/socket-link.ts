import { type WebSocket, WebSocketServer } from "ws";
import type { FakeSlack } from "../../tools/fake-slack/server.js";

/**
 * Slack's Socket Mode link for the fake: `apps.connections.open` on the fake answers this server's URL; each
 * connection gets Slack's `hello` (with `num_connections`), and every message the app sends (its acks) goes to
 * `onMessage`. Tests send envelopes through `sockets`.
 */
export async function socketModeLink(
  fake: FakeSlack,
  numConnections: number,
  onMessage: (message: any) => void,
): Promise<{ sockets: WebSocket[]; close(): Promise<void> }> {
  const sockets: WebSocket[] = [];
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  fake.socketModeUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/link`;
  wss.on("connection", (ws) => {
    sockets.push(ws);
    ws.on("message", (data) => onMessage(JSON.parse(String(data))));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: numConnections,
        debug_info: { host: "fake" },
        connection_info: { app_id: "A0001" },
      }),
    );
  });
  return {
    sockets,
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}
