import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, VIEWS } from "../../src/chat/ids.js";
import { eventually, type Harness, startHarness, jobsDrained } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";

// Fuzzing `/slack/events` through the real app over HTTP (issue 11): correctly signed bodies of every shape
// Slack uses, with hostile values in every position. Whatever arrives, the answer is below 500, it comes
// within the timeout, no listener fails with an internal error, and the app is healthy afterwards.

const kinds = await dbKinds();
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\ud83d\ude00",
    "\uFFFD",
    "<!channel>",
    "<@U999|boss>",
    "&amp;<>",
    "__proto__",
    "constructor",
    "1.1",
    "INC-1",
    "G-1",
    "-1",
    "1e400",
    "",
  ),
  fc.constant("x".repeat(5000)),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(2 ** 53 + 2, -0, 1e308, -1e308, 5e-324));
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const hostileValue = fc.oneof(
  { depthSize: "small" },
  leaf,
  fc.array(leaf, { maxLength: 3 }),
  fc.dictionary(hostileString, leaf, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);
/** A value that is usually what Slack sends (a string id), sometimes anything at all. */
const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: hostileValue });
const userId = fc.constantFrom("U0ALICE", "U0BOB", "UFUZZ");
const withProtoKeys = (o: Record<string, unknown>, extra: Record<string, unknown>) => {
  // JSON.parse makes `__proto__` an ordinary key: write it into the text the same way.
  const entries = Object.entries({ ...o, ...extra });
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`).join(",")}}`;
};
const protoExtras = fc.oneof(
  fc.constant({}),
  fc.record({ __proto__: hostileValue }, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>,
  fc.constant({ constructor: { prototype: { polluted: true } } }),
);

const eventBody = fc
  .record(
    {
      type: fc.constantFrom("app_home_opened", "reaction_added", "pin_added", "member_joined_channel", "message", "no_such_event"),
      user: mostly(userId),
      tab: mostly(fc.constantFrom("home", "messages")),
      reaction: mostly(fc.constantFrom("pushpin", "eyes")),
      item_user: mostly(userId),
      channel: mostly(fc.constantFrom("CGENERAL", "C0INC1")),
      channel_id: mostly(fc.constantFrom("CGENERAL", "C0INC1")),
      item: mostly(
        fc.record(
          {
            type: mostly(fc.constant("message")),
            channel: mostly(fc.constantFrom("CGENERAL", "C0INC1")),
            ts: mostly(fc.constant("1700000000.000100")),
            message: mostly(fc.record({ ts: mostly(fc.constant("1700000000.000100")), text: hostileString, user: mostly(userId) })),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ["type"] },
  )
  .chain((event) => fc.tuple(fc.constant(event), protoExtras))
  .map(([event, extra]) => withProtoKeys({ type: "event_callback", team_id: "T0FAKE", event_id: "EvFUZZ", event }, extra));

const actionIds = fc.oneof(
  fc.constantFrom(...Object.values(ACTIONS)),
  fc.constantFrom(...Object.values(ACTIONS)).map((a) => `${a}:playbook:1.1`),
  hostileString,
);
const interactionBody = fc
  .record(
    {
      type: fc.constantFrom("block_actions", "view_submission", "view_closed", "shortcut", "no_such_type"),
      user: mostly(fc.record({ id: userId, team_id: fc.constant("T0FAKE") })),
      team: mostly(fc.constant({ id: "T0FAKE" })),
      channel: mostly(fc.record({ id: fc.constantFrom("CGENERAL", "C0INC1") })),
      trigger_id: mostly(fc.constant("123.456.abc")),
      actions: mostly(
        fc.array(
          fc.record(
            {
              action_id: mostly(actionIds),
              type: mostly(fc.constantFrom("button", "users_select", "overflow")),
              value: mostly(hostileString),
              selected_user: mostly(userId),
              selected_option: mostly(fc.record({ value: hostileString })),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 2 },
        ),
      ),
      message: mostly(fc.record({ ts: mostly(fc.constant("1700000000.000100")) })),
      view: mostly(
        fc.record(
          {
            id: mostly(fc.constant("VFUZZ")),
            callback_id: mostly(fc.constantFrom(...Object.values(VIEWS))),
            private_metadata: mostly(hostileString),
            state: mostly(
              fc.record({
                values: mostly(
                  fc.dictionary(
                    hostileString,
                    fc.dictionary(hostileString, mostly(fc.record({ type: fc.constant("plain_text_input"), value: hostileString }))),
                  ),
                ),
              }),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: ["type"] },
  )
  .chain((payload) => fc.tuple(fc.constant(payload), protoExtras))
  .map(([payload, extra]) => `payload=${encodeURIComponent(withProtoKeys(payload, extra))}`);

const subcommand = fc.constantFrom(
  "",
  "help",
  "list",
  "alerts",
  "silences",
  "stats",
  "stats 9999d",
  "roles",
  "roles ml-lead",
  "ack",
  "sev",
  "sev P9",
  "lead",
  "owner",
  "done",
  "na",
  "action",
  "silence",
  "unsilence",
  "bogus",
  "declare",
  "declare --private",
  "declare P1",
  "templates",
  "open",
  "status",
  "approve",
  "record",
  "samplesize",
  "ab",
);
const commandBody = fc
  .record({
    command: fc.constantFrom("/incident", "/gate"),
    sub: subcommand,
    rest: fc.array(hostileString, { maxLength: 3 }),
    user: userId,
    channel: fc.constantFrom("CGENERAL", "C0INC1"),
  })
  .map(({ command, sub, rest, user, channel }) =>
    new URLSearchParams({
      command,
      text: [sub, ...rest].join(" "),
      user_id: user,
      channel_id: channel,
      team_id: "T0FAKE",
      trigger_id: "1.2.3",
      response_url: "RESPONSE_URL",
    }).toString(),
  );

const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null");
const deepJson = fc.integer({ min: 50, max: 5000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);

const bodies: fc.Arbitrary<[string, string]> = fc.oneof(
  eventBody.map((b) => [b, "application/json"] as [string, string]),
  interactionBody.map((b) => [b, "application/x-www-form-urlencoded"] as [string, string]),
  commandBody.map((b) => [b, "application/x-www-form-urlencoded"] as [string, string]),
  anyJson.map((b) => [b, "application/json"] as [string, string]),
  anyJson.map((b) => [`payload=${encodeURIComponent(b)}`, "application/x-www-form-urlencoded"] as [string, string]),
  deepJson.map((b) => [b, "application/json"] as [string, string]),
);

describe.each(kinds)("fuzzing /slack/events (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { SLACK_TEAM_ID: "T0FAKE" } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("answers every signed body below 500, in time, with no internal error and a healthy app after", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(bodies, async ([template, contentType]) => {
        // Replies to fuzzed commands go to the fake's response_url, where an internal error would show.
        const body = template.replace("RESPONSE_URL", encodeURIComponent(h.fake.responseUrl()));
        const res = await fetch(`${h.appUrl}/slack/events`, {
          method: "POST",
          headers: { "content-type": contentType, ...h.slack.sign(body) },
          body,
          signal: AbortSignal.timeout(5000),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, text).toBeLessThan(500);
        if (res.status >= 400) expect(JSON.parse(text).error).toEqual(expect.any(String));
      }),
      { numRuns: RUNS * 5, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000) },
    );
    // Both kinds of answer were exercised: refusals and payloads that reached the listeners.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    await eventually(async () => (await fetch(`${h.appUrl}/healthz`)).status === 200, 10_000, "healthy after the fuzz");
    // Let the work queued after the acks run, then look for internal errors shown to anyone.
    await jobsDrained(h, 60_000);
    const shown = [
      ...h.fake.ephemerals.map((e: any) => String(e.body?.text ?? "")),
      ...h.fake.callsTo("chat.postEphemeral").map((c: any) => String(c.args?.text ?? "")),
      ...h.fake.callsTo("chat.postMessage").map((c: any) => String(c.args?.text ?? "")),
    ];
    expect(shown.filter((t) => /went wrong/.test(t))).toEqual([]);
  }, 120_000);
});
