import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";
import { ALERT_TOKEN } from "../helpers/alerts.js";
import { dbKinds } from "../helpers/test-db.js";

// Issue 11, "Hostile input": whatever a sender posts to an alert route, the answer is never a 5xx (a 5xx makes
// senders retry the same body forever), no request hangs, and the app stays healthy. Real app, real HTTP,
// both databases. Bodies are valid-shaped payloads with hostile values in every position, plus arbitrary JSON.
// The seed is fixed (FUZZ_SEED overrides it); on failure fast-check prints the seed, path and shrunk body.

const kinds = await dbKinds();
const SEED = Number(process.env.FUZZ_SEED ?? 1_103_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1); // multiplier
const REQUEST_TIMEOUT_MS = 10_000;
const ROUTES = ["alertmanager", "grafana", "pagerduty", "generic"] as const;
type Route = (typeof ROUTES)[number];

// --- JSON text with raw fragments --------------------------------------------------------------

/** A piece of JSON text written as is: number literals JS cannot produce (1e999, -0, 9007199254740993), deep nesting. */
class Raw {
  constructor(readonly text: string) {}
}

/** JSON.stringify, except Raw fragments; own `__proto__` keys are written like any other key. */
function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Object.fromEntries defines properties: a `__proto__` key stays an own key instead of setting the prototype. */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries);

// --- hostile values ----------------------------------------------------------------------------

const SPECIAL_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff",
  "x\udbffy",
  "\ud83d\ude00",
  "\uFFFD",
  "\uFEFF",
  "<!channel>",
  "<!here|here>",
  "<@U123>",
  "*bold* `code` ```block```",
  "",
  " ",
  "\n\t\r",
  "__proto__",
  "constructor",
  "prototype",
  '\'; DROP TABLE "Alert"; --',
  "\\u0000",
  "critical",
  "P1",
  "https://example.com/a?b=c",
  "javascript:alert(1)",
];
const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf"];

/** One UTF-16 unit of any kind (lone surrogates and NUL included), weighted towards the troublesome ones. */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom("\u0000", "\uFFFD", "😀", "é") },
);

// Up to ~60 KB of JSON each (a lone surrogate is written as a 6-byte escape): several fit in the 1 MiB limit.
const longString = fc
  .tuple(fc.constantFrom("x", "é", "😀", "\u0000", "\ud800", "<!channel> "), fc.integer({ min: 200, max: 10_000 }))
  .map(([s, n]) => s.repeat(Math.ceil(n / s.length)));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit, maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 1, arbitrary: longString },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
);

const hostileKey = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) });

const NUMBER_LITERALS = [
  "-0",
  "0",
  "1e308",
  "-1e308",
  "1.7976931348623157e308",
  "1e999",
  "-1e999",
  "1e-320",
  "4.9e-324",
  "1e-400",
  "9007199254740991",
  "9007199254740992",
  "9007199254740993",
  "-9007199254740993",
  "18446744073709551616",
  "123456789012345678901234567890",
  "0.31",
  "1E+2",
  "2147483648",
  "-2147483649",
];
const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NUMBER_LITERALS).map((t) => new Raw(t)),
  fc.double(), // NaN and ±Infinity are written as null by JSON
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

/** Deeply nested arrays/objects, as raw text: far deeper than any recursive walk's stack (and small enough for the memo). */
const deepNesting = fc
  .tuple(fc.integer({ min: 10, max: 30_000 }), fc.boolean())
  .map(([n, arrays]) => new Raw(arrays ? `${"[".repeat(n)}1${"]".repeat(n)}` : `${'{"a":'.repeat(n)}"\\u0000"${"}".repeat(n)}`));

const scalar: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.boolean(), hostileNumber, hostileString);

/** Any value at all for a position: the wrong type, an array where an object is expected, nesting. */
const anything: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, tie("value")), { maxLength: 4 }).map(objectOf) },
    { weight: 1, arbitrary: deepNesting },
  ),
})).value;

/**
 * A field of the type a sender means, rarely anything at all (wrong type, array for object, nesting). Rarely:
 * a payload has a dozen fields and one wrong one refuses the whole alert, and most bodies must get through
 * validation to the storing and incident paths.
 */
const field = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 30, arbitrary: arb as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anything });

/** Mostly one of the words the schema takes, sometimes a hostile string. */
const word = (...words: string[]) =>
  fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: hostileString });

/** Mostly an ordinary metric number, sometimes a hostile literal. */
const metricNumber = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 2, arbitrary: hostileNumber },
);

const stringMap = fc.oneof(
  { weight: 20, arbitrary: fc.array(fc.tuple(hostileKey, hostileString), { maxLength: 6 }).map(objectOf) },
  { weight: 1, arbitrary: fc.array(fc.tuple(hostileKey, anything), { maxLength: 3 }).map(objectOf) },
);

/** Labels that carry a metric (`metric` + `value`), so numbers in labels reach the metric judgement. */
const metricLabels = fc
  .tuple(stringMap, fc.constantFrom("psi", "queue_depth", "error_rate", "latency_p99", "prediction_mean"), metricNumber)
  .map(([labels, metric, value]) => ({ ...labels, metric, value: value instanceof Raw ? value.text : String(value) }));

const labels = fc.oneof(stringMap, metricLabels);

const timestamp = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.date({ min: new Date("1970-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString()),
  },
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), // ±271 821 years: mostly no RFC 3339 year
  fc.constantFrom(
    "2026-11-23T09:10:00Z",
    "0001-01-01T00:00:00Z",
    "0002-01-01T00:00:00+23:59",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59Z",
    "2024-02-29T23:59:60.123456789Z",
    "2026-02-29T00:00:00Z",
    "2026-11-23 09:10:00+0000",
    "2026-13-01T00:00:00Z",
  ),
  hostileString,
);

const fingerprint = fc.oneof(fc.constantFrom("fuzz/1", "fuzz/2", "fuzz/3"), hostileString);
const severity = word("critical", "error", "warning", "info", "P1", "p2", "P3", "Critical", "INFO", "bogus");
const status = word("firing", "resolved");
const links = fc.array(
  fc.record(
    { text: field(hostileString), url: field(fc.oneof(fc.constant("https://x.example/"), hostileString)) },
    { requiredKeys: ["url"] },
  ),
  {
    maxLength: 3,
  },
);

const metric = fc.record(
  {
    name: field(word("psi", "ks", "queue_depth", "latency_p99", "prediction_mean", "error_rate", "auc")),
    value: field(metricNumber),
    baseline: field(metricNumber),
    std: field(metricNumber),
  },
  { requiredKeys: ["name", "value"] },
);

const genericAlert = fc.record(
  {
    source: field(hostileString),
    title: field(hostileString),
    status: field(status),
    severity: field(severity),
    description: field(hostileString),
    fingerprint: field(fingerprint),
    model: field(hostileString),
    service: field(hostileString),
    feature: field(hostileString),
    metric: field(metric),
    labels: field(labels),
    annotations: field(stringMap),
    links: field(links),
    startsAt: field(timestamp),
    endsAt: field(timestamp),
  },
  { requiredKeys: ["source", "title"] },
);

const alertmanagerAlert = fc.record(
  {
    status: field(status),
    labels: field(labels),
    annotations: field(stringMap),
    startsAt: field(timestamp),
    endsAt: field(timestamp),
    generatorURL: field(hostileString),
    fingerprint: field(fingerprint),
  },
  { requiredKeys: [] },
);

const envelope = {
  version: field(word("4", "1")),
  groupKey: field(hostileString),
  truncatedAlerts: field(fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: hostileNumber })),
  receiver: field(hostileString),
  status: field(status),
  groupLabels: field(stringMap),
  commonLabels: field(stringMap),
  commonAnnotations: field(stringMap),
  externalURL: field(hostileString),
};

const alertmanagerBody = fc.record(
  { ...envelope, alerts: field(fc.array(field(alertmanagerAlert), { maxLength: 8 })) },
  { requiredKeys: ["alerts"] },
);

const grafanaBody = fc.record(
  {
    ...envelope,
    orgId: field(fc.oneof({ weight: 6, arbitrary: fc.nat() }, { weight: 1, arbitrary: hostileNumber })),
    title: field(hostileString),
    message: field(hostileString),
    state: field(hostileString),
    alerts: field(
      fc.array(
        field(
          fc.record(
            {
              status: field(status),
              labels: field(labels),
              annotations: field(stringMap),
              startsAt: field(timestamp),
              fingerprint: field(fingerprint),
              ruleUID: field(hostileString),
              dashboardURL: field(hostileString),
              orgId: field(fc.oneof(fc.nat(), hostileNumber)),
              values: field(fc.array(fc.tuple(hostileKey, fc.oneof(metricNumber, fc.constant(null))), { maxLength: 4 }).map(objectOf)),
              valueString: field(hostileString),
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 8 },
      ),
    ),
  },
  { requiredKeys: ["alerts"] },
);

const pagerdutyBody = fc.record(
  {
    routing_key: field(fc.oneof(fc.constant(ALERT_TOKEN), hostileString)),
    event_action: field(word("trigger", "trigger", "acknowledge", "resolve")),
    dedup_key: field(fingerprint),
    payload: field(
      fc.record(
        {
          summary: field(hostileString),
          source: field(hostileString),
          severity: field(word("critical", "error", "warning", "info")),
          timestamp: field(timestamp),
          component: field(hostileString),
          group: field(hostileString),
          class: field(hostileString),
          custom_details: field(fc.oneof(labels, anything)),
        },
        { requiredKeys: ["summary", "source", "severity"] },
      ),
    ),
    images: field(
      fc.array(fc.record({ src: field(hostileString), href: field(hostileString) }, { requiredKeys: ["src"] }), { maxLength: 2 }),
    ),
    links: field(
      fc.array(fc.record({ href: field(hostileString), text: field(hostileString) }, { requiredKeys: ["href"] }), { maxLength: 2 }),
    ),
    client: field(hostileString),
    client_url: field(hostileString),
  },
  { requiredKeys: ["routing_key", "event_action", "dedup_key", "payload"] },
);

const genericBody = fc.oneof(
  { weight: 2, arbitrary: genericAlert },
  { weight: 1, arbitrary: fc.record({ alerts: field(fc.array(field(genericAlert), { maxLength: 12 })) }) },
);

const SHAPED: Record<Route, fc.Arbitrary<unknown>> = {
  alertmanager: alertmanagerBody,
  grafana: grafanaBody,
  pagerduty: pagerdutyBody,
  generic: genericBody,
};

/** Fully arbitrary JSON, strings of any UTF-16 units. */
const arbitraryJson = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ stringUnit: unit, maxDepth: 4 }) },
  { weight: 1, arbitrary: anything },
);

// --- the checks --------------------------------------------------------------------------------

type Answer = { status: number; json: any; text: string };

async function post(appUrl: string, route: Route, text: string): Promise<Answer> {
  const res = await fetch(`${appUrl}/alerts/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ALERT_TOKEN}` },
    body: text,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), // a hanging request fails the property
  });
  const body = await res.text();
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text: body };
}

/** The contract's answers for bad input: a 4xx with an `error`, or a 202 with the counts. Never a 5xx. */
function expectContractAnswer(a: Answer, body: string): void {
  const what = `answer ${a.status} ${a.text.slice(0, 300)} to ${body.slice(0, 300)}`;
  expect(a.status, what).toBeLessThan(500);
  if (a.status === 202) {
    expect(a.json, what).toMatchObject({
      received: expect.any(Number),
      accepted: expect.any(Number),
      rejected: expect.any(Array),
      incidents: expect.any(Array),
    });
    expect(a.json.accepted + a.json.rejected.length, what).toBe(a.json.received);
    for (const r of a.json.rejected) expect(r, what).toMatchObject({ index: expect.any(Number), issues: expect.any(Array) });
    for (const id of a.json.incidents) expect(id, what).toMatch(/^INC-\d+$/);
  } else {
    expect(a.status, what).toBeGreaterThanOrEqual(400);
    expect(a.json, what).toMatchObject({ error: expect.any(String) });
    // The route's safety net turns a throw while checking a body into a 400; here that still counts as a bug.
    expect(a.json.error, what).not.toMatch(/could not be processed/);
  }
}

describe.each(kinds)("alert routes under fuzzed input (%s)", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, { env: { ALERT_WEBHOOK_TOKEN: ALERT_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const healthy = async () => {
    const res = await fetch(`${h.appUrl}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    expect(res.status).toBe(200);
  };

  /** Runs the property; returns how many requests were answered 202 and how many alerts were accepted. */
  const check = async (route: Route, arb: fc.Arbitrary<unknown>, numRuns: number) => {
    const seen = { accepted: 0, answered202: 0, requests: 0 };
    await fc.assert(
      fc.asyncProperty(arb, async (value) => {
        const body = toJson(value);
        const answer = await post(h.appUrl, route, body);
        expectContractAnswer(answer, body);
        if (process.env.FUZZ_DEBUG)
          console.log(
            route,
            answer.status,
            answer.json?.accepted,
            answer.json?.incidents?.length,
            JSON.stringify(answer.json?.issues?.[0] ?? answer.json?.rejected?.[0]?.issues?.[0] ?? answer.json?.error)?.slice(0, 80),
          );
        seen.requests++;
        if (answer.status === 202) {
          seen.answered202++;
          seen.accepted += answer.json.accepted;
        }
      }),
      { seed: SEED, numRuns: numRuns * RUNS, endOnFailure: false },
    );
    return seen;
  };

  for (const route of ROUTES) {
    it(`${route}: valid-shaped payloads with hostile values in every position`, { timeout: 120_000 }, async () => {
      const seen = await check(route, SHAPED[route], route === "generic" ? 100 : 75);
      // The shapes must reach storing, not only validation: a good share of the bodies are accepted.
      expect(seen.answered202, JSON.stringify(seen)).toBeGreaterThan(seen.requests * 0.2);
      expect(seen.accepted, JSON.stringify(seen)).toBeGreaterThan(seen.requests * 0.2);
      await healthy();
    });

    it(`${route}: arbitrary JSON`, { timeout: 60_000 }, async () => {
      await check(route, arbitraryJson, 30);
      await healthy();
    });
  }
});
