import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, runCommand, startHarness, type Harness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

// Hostile input at the HTTP edge (issue 11): /slack/events payloads, the signature window, SLACK_TEAM_ID,
// unknown routes and methods, oversized bodies, slow clients. Every answer is a 4xx with a JSON body, never
// a 5xx, a hang or a crash.

const kinds = await dbKinds();
const TOKEN = "hostile-alert-token";

/** A POST with a timeout: a request the app never answers fails the test instead of hanging it. */
async function post(url: string, body: string | Blob, headers: Record<string, string>) {
  const res = await fetch(url, { method: "POST", headers, body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, text, json: text ? safeJson(text) : undefined, headers: res.headers };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe.each(kinds)("the HTTP edge refuses hostile input clearly (%s)", (kind) => {
  let h: Harness;
  const slackPost = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    post(`${h.appUrl}/slack/events`, body, { "content-type": contentType, ...h.slack.sign(body), ...headers });

  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers a correctly signed `null`, `payload=null` or non-object body with 400 and a JSON error", async () => {
    for (const [body, type] of [
      ["null", "application/json"],
      ["[]", "application/json"],
      ["42", "application/json"],
      ['"text"', "application/json"],
      ["payload=null", "application/x-www-form-urlencoded"],
      ["payload=%5B%5D", "application/x-www-form-urlencoded"],
      ["payload=%7Bnot+json", "application/x-www-form-urlencoded"],
      ["{not json", "application/json"],
      ["<xml/>", "text/xml"],
    ] as const) {
      const res = await slackPost(body, type);
      expect(res.status, `${type} ${body}`).toBe(400);
      expect(res.json?.error, `${type} ${body}`).toEqual(expect.any(String));
    }
  });

  it("answers null or wrongly typed events, items, actions and views with 400 naming the field", async () => {
    const envelope = (event: unknown) => JSON.stringify({ type: "event_callback", team_id: "T0FAKE", event_id: "Ev1", event });
    const interaction = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const user = { id: "U1", team_id: "T0FAKE" };
    const cases: [string, string, RegExp][] = [
      [envelope(null), "application/json", /event/],
      [envelope("pin_added"), "application/json", /event/],
      [envelope({ type: "app_home_opened", user: { id: "U1", $ne: null } }), "application/json", /event\.user/],
      [envelope({ type: "app_home_opened", user: { equals: "U1" } }), "application/json", /event\.user/],
      [envelope({ type: "reaction_added", user: "U1", reaction: "pushpin", item: null }), "application/json", /event\.item/],
      [
        envelope({ type: "reaction_added", user: "U1", reaction: "pushpin", item: { type: "message", channel: 5, ts: [] } }),
        "application/json",
        /event\.item/,
      ],
      [envelope({ type: "pin_added", user: "U1", item: "x" }), "application/json", /event\.item/],
      [interaction({ type: "block_actions", user, actions: null }), "application/x-www-form-urlencoded", /actions/],
      [interaction({ type: "block_actions", user, actions: [null] }), "application/x-www-form-urlencoded", /actions/],
      [interaction({ type: "block_actions", user, actions: [{ action_id: 7 }] }), "application/x-www-form-urlencoded", /actions/],
      [
        interaction({ type: "block_actions", user: null, actions: [{ action_id: "item_done" }] }),
        "application/x-www-form-urlencoded",
        /user/,
      ],
      [interaction({ type: "view_submission", user, view: null }), "application/x-www-form-urlencoded", /view/],
      [
        interaction({ type: "view_submission", user, view: { id: "V1", callback_id: "declare", state: { values: null } } }),
        "application/x-www-form-urlencoded",
        /view/,
      ],
      [interaction({ type: "no_such_type", user }), "application/x-www-form-urlencoded", /type/],
      ["command=%2Fincident&text=help&user_id=&channel_id=C1", "application/x-www-form-urlencoded", /user_id/],
    ];
    for (const [body, type, field] of cases) {
      const res = await slackPost(body, type);
      expect(res.status, body).toBe(400);
      expect(res.json?.error, body).toMatch(field);
    }
    // Nothing reached a listener: no job was queued, nothing was posted, the app is healthy.
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(0);
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });

  it("stores NUL and lone surrogates in Slack text as U+FFFD instead of failing on them", async () => {
    const res = await runCommand(h, "/incident", "declare P3 nul\u0000here", { userId: "UNUL", channelId: "CGENERAL" });
    expect(res.text).not.toMatch(/went wrong/);
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { declaredBy: "UNUL" } }));
    expect(inc.title).toBe("nul\uFFFDhere");
    // An interaction payload is JSON: a lone surrogate can arrive there as an escape.
    const payload = `{"type":"block_actions","user":{"id":"U\\ud800","team_id":"T0FAKE"},"team":{"id":"T0FAKE"},"actions":[{"action_id":"no_such_action\\u0000","value":"x"}]}`;
    const interaction = await slackPost(`payload=${encodeURIComponent(payload)}`, "application/x-www-form-urlencoded");
    expect(interaction.status).toBe(200);
  });

  it("refuses a signature timestamp over 5 minutes away in either direction, and accepts one just inside", async () => {
    const body = "command=%2Fincident&text=help&user_id=UWIN&channel_id=CGENERAL&team_id=T0FAKE";
    // Signed just before each request, and 302 s rather than 301: the server's second may tick between the two.
    const now = () => Math.floor(Date.now() / 1000);
    for (const offset of [302, 3600, -302, -3600]) {
      const res = await slackPost(
        body,
        "application/x-www-form-urlencoded",
        h.slack.sign(body, now() + offset) as unknown as Record<string, string>,
      );
      expect(res.status, `offset ${offset}`).toBe(401);
      expect(res.json?.error, `offset ${offset}`).toMatch(/window/);
    }
    for (const offset of [290, -290]) {
      const res = await slackPost(
        body,
        "application/x-www-form-urlencoded",
        h.slack.sign(body, now() + offset) as unknown as Record<string, string>,
      );
      expect(res.status, `offset ${offset}`).toBe(200);
    }
    const forged = await slackPost(body, "application/x-www-form-urlencoded", { "x-slack-signature": `v0=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    const unsigned = await post(`${h.appUrl}/slack/events`, body, { "content-type": "application/x-www-form-urlencoded" });
    expect(unsigned.status).toBe(401);
  });

  it("answers unknown routes 404 and wrong methods 405 (with Allow), both as JSON", async () => {
    const missing = await fetch(`${h.appUrl}/no/such/route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/application\/json/);
    expect(((await missing.json()) as { error: string }).error).toMatch(/not found/);

    for (const [method, path, allow] of [
      ["GET", "/alerts/generic", "POST"],
      ["PUT", "/slack/events", "POST"],
      ["POST", "/healthz", "GET"],
      ["DELETE", "/metrics", "GET"],
    ] as const) {
      const res = await fetch(`${h.appUrl}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expect(((await res.json()) as { error: string }).error).toMatch(/not allowed/);
    }
  });

  it("answers a 5 MiB body with 413 every time, on the alert routes and /slack/events, and the app stays healthy", async () => {
    const big = new Blob([new Uint8Array(5 * 1_048_576).fill(0x20)]);
    for (let i = 0; i < 4; i++) {
      const alert = await post(`${h.appUrl}/alerts/generic`, big, { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" });
      expect(alert.status).toBe(413);
      expect(alert.json?.error).toMatch(/too large/);
      const slack = await post(`${h.appUrl}/slack/events`, big, { "content-type": "application/json", ...h.slack.sign("") });
      expect(slack.status).toBe(413);
    }
    expect((await fetch(`${h.appUrl}/healthz`)).status).toBe(200);
  });
});

describe.each(kinds)("SLACK_TEAM_ID refuses a request that names no workspace (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { SLACK_TEAM_ID: "T0FAKE" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses slash commands with team_id missing or empty, and events and interactions without a team", async () => {
    for (const team of [undefined, ""]) {
      const fields: Record<string, string> = { command: "/incident", text: "declare P1 No team at all", user_id: "UX", channel_id: "CX" };
      if (team !== undefined) fields.team_id = team;
      const res = await h.slack.raw(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded");
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/not enabled for this workspace/);
    }
    const event = await h.slack.raw(
      JSON.stringify({ type: "event_callback", event: { type: "app_home_opened", user: "UX" } }),
      "application/json",
    );
    expect(event.status).toBe(403);
    const action = await h.slack.raw(
      `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: "UX" }, actions: [{ action_id: "incident_ack", value: "1" }] }))}`,
      "application/x-www-form-urlencoded",
    );
    expect(action.status).toBe(403);
    expect(await h.db.prisma.incident.count()).toBe(0);
    expect(h.fake.callsTo("conversations.create")).toHaveLength(0);
  });
});

describe.each(kinds)("a slow client cannot hold a graceful stop (%s)", (kind) => {
  it("stops within a few seconds while one request dribbles its body at 1 byte/s and another its headers", async () => {
    const h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: TOKEN } });
    const sockets: Socket[] = [];
    const open = (first: string) =>
      new Promise<Socket>((resolve) => {
        const s = connect(h.app.port, "127.0.0.1", () => {
          s.write(first);
          resolve(s);
        });
        s.on("error", () => {});
        sockets.push(s);
      });
    const bodyDribbler = await open(
      `POST /alerts/generic HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
    );
    const headerDribbler = await open("POST /slack/events HTTP/1.1\r\nhost: x\r\n");
    const drip = setInterval(() => {
      bodyDribbler.write(" ");
      headerDribbler.write("x");
    }, 1000);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const started = Date.now();
      await h.app.stop();
      const ms = Date.now() - started;
      expect(ms).toBeLessThan(5000);
      // Both connections were cut by the stop, not left hanging.
      await new Promise((r) => setTimeout(r, 100));
      expect(sockets.every((s) => s.destroyed || s.readableEnded)).toBe(true);
    } finally {
      clearInterval(drip);
      for (const s of sockets) s.destroy();
      await h.close();
    }
  });
});
