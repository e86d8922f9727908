import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AlertRequest, MAX_ALERT_BODY_BYTES, checkAlertRequest, isJsonContentType } from "../../../src/alerts/http-intake.js";
import { FIXTURES, fixture, fixtureText, routeOf } from "./fixtures.js";
import { readBodyCapped } from "../../../src/http/body.js";

const TOKEN = "s3cret-token";
const JSON_TYPE = { "content-type": "application/json" };
const BEARER = { authorization: `Bearer ${TOKEN}`, ...JSON_TYPE };

function request(overrides: Partial<AlertRequest> & { body?: unknown }): AlertRequest {
  const { body, ...rest } = overrides;
  return {
    route: "generic",
    headers: BEARER,
    rawBody: Buffer.from(typeof body === "string" ? body : JSON.stringify(body ?? fixture("generic-single.json"))),
    token: TOKEN,
    ...rest,
  };
}

const status = (r: ReturnType<typeof checkAlertRequest>) => (r.ok ? 202 : r.status);

describe("checkAlertRequest order", () => {
  it("503 when no token is configured, before anything else", () => {
    const r = checkAlertRequest(request({ token: undefined, headers: {}, body: "{" }));
    expect(r).toEqual({
      ok: false,
      status: 503,
      body: { error: "alert ingestion is not configured: set ALERT_WEBHOOK_TOKEN" },
    });
    expect(status(checkAlertRequest(request({ token: "" })))).toBe(503);
  });

  it("401 before 415, 413 and 400", () => {
    const bad = { authorization: "Bearer nope", "content-type": "text/plain" };
    expect(status(checkAlertRequest(request({ headers: bad, body: "{" })))).toBe(401);
    expect(status(checkAlertRequest(request({ headers: {}, body: "x".repeat(MAX_ALERT_BODY_BYTES + 1) })))).toBe(401);
    expect(status(checkAlertRequest(request({ headers: { authorization: "Bearer " } })))).toBe(401);
    expect(status(checkAlertRequest(request({ headers: { authorization: TOKEN, ...JSON_TYPE } })))).toBe(401);
  });

  it("415 before 413 and 400", () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "text/plain" };
    expect(status(checkAlertRequest(request({ headers, body: "x".repeat(MAX_ALERT_BODY_BYTES + 1) })))).toBe(415);
    expect(status(checkAlertRequest(request({ headers: { authorization: `Bearer ${TOKEN}` } })))).toBe(415);
  });

  it("413 before 400; exactly 1 MiB is allowed", () => {
    expect(status(checkAlertRequest(request({ body: "x".repeat(MAX_ALERT_BODY_BYTES + 1) })))).toBe(413);
    const padded = JSON.stringify({ source: "s", title: "t" }).padEnd(MAX_ALERT_BODY_BYTES, " ");
    expect(status(checkAlertRequest(request({ body: padded })))).toBe(202);
  });

  it("400 for invalid JSON, then for an invalid envelope with issues", () => {
    const r = checkAlertRequest(request({ body: "{nope" }));
    expect(r).toMatchObject({ ok: false, status: 400, body: { error: expect.stringMatching(/^invalid JSON: /) } });
    expect(checkAlertRequest(request({ rawBody: Buffer.from([0x7b, 0xff, 0x7d]) }))).toMatchObject({ status: 400 });
    const envelope = checkAlertRequest(request({ route: "alertmanager", body: { alerts: "x" } }));
    expect(envelope).toMatchObject({ ok: false, status: 400, body: { issues: [{ path: "alerts" }] } });
  });

  it("202-style result with received, alerts and rejected", () => {
    const r = checkAlertRequest(request({ body: fixture("generic-batch.json") }));
    expect(r).toMatchObject({ ok: true, received: 3, rejected: [{ index: 1 }] });
    if (r.ok) expect(r.alerts).toHaveLength(2);
  });
});

describe("auth", () => {
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

  it("accepts Bearer (any case) and Basic with the token as password", () => {
    expect(status(checkAlertRequest(request({ headers: { Authorization: `bearer ${TOKEN}`, ...JSON_TYPE } })))).toBe(202);
    expect(status(checkAlertRequest(request({ headers: { authorization: basic("alertmanager", TOKEN), ...JSON_TYPE } })))).toBe(202);
    expect(status(checkAlertRequest(request({ headers: { authorization: basic(TOKEN, "x"), ...JSON_TYPE } })))).toBe(401);
  });

  it("accepts routing_key = token on the pagerduty route only", () => {
    const event = { ...fixture("pagerduty-trigger.json"), routing_key: TOKEN };
    expect(status(checkAlertRequest(request({ route: "pagerduty", headers: JSON_TYPE, body: event })))).toBe(202);
    const wrong = { ...event, routing_key: "R0UT1NGK3Y0000000000000000000001" };
    expect(status(checkAlertRequest(request({ route: "pagerduty", headers: JSON_TYPE, body: wrong })))).toBe(401);
    expect(status(checkAlertRequest(request({ route: "generic", headers: JSON_TYPE, body: { ...event, source: "s", title: "t" } })))).toBe(
      401,
    );
    expect(status(checkAlertRequest(request({ route: "pagerduty", headers: { "content-type": "text/plain" }, body: event })))).toBe(415);
  });
});

describe("content types", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON;charset=UTF-8", true],
    ["application/vnd.alert+json", true],
    ["application/problem+json; charset=utf-8", true],
    ["text/json", false],
    ["application/x-www-form-urlencoded", false],
    ["application/jsonp", false],
    [undefined, false],
  ])("%s → %s", (type, ok) => expect(isJsonContentType(type)).toBe(ok));
});

describe("every fixture goes through its route", () => {
  it.each(FIXTURES)("%s", (name) => {
    const r = checkAlertRequest(request({ route: routeOf(name), body: fixtureText(name) }));
    expect(r.ok).toBe(true);
  });
});

describe("readBodyCapped", () => {
  it("reads a small body", async () => {
    const r = await readBodyCapped(Readable.from([Buffer.from("ab"), Buffer.from("c")]), 10);
    expect(r).toEqual({ body: Buffer.from("abc"), tooLarge: false });
  });

  it("answers as soon as the limit is passed, keeping nothing, and drops the rest", async () => {
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    const r = await readBodyCapped(stream, 10);
    expect(r).toEqual({ body: Buffer.alloc(0), tooLarge: true });
    if (!stream.readableEnded) await new Promise((resolve) => stream.once("end", resolve)); // the rest is read to the end, not left hanging
  });

  it("answers at once when the declared Content-Length is over the limit", async () => {
    const stream = Object.assign(Readable.from([Buffer.alloc(4)]), { headers: { "content-length": "11" } });
    expect(await readBodyCapped(stream, 10)).toEqual({ body: Buffer.alloc(0), tooLarge: true });
  });
});

describe("property: nothing a sender writes makes it throw or answer 5xx", () => {
  const ROUTES = ["alertmanager", "grafana", "pagerduty", "generic"] as const;
  const ALLOWED = new Set([202, 400, 401, 413, 415]);
  const headers = fc.oneof(
    fc.constant(BEARER),
    fc.constant({ "content-type": "application/json" }),
    fc.constant({ authorization: "Bearer wrong", "content-type": "application/json" }),
    fc.constant({ authorization: `Bearer ${TOKEN}`, "content-type": "text/plain" }),
    fc.dictionary(fc.constantFrom("authorization", "content-type", "x-other"), fc.string()),
  );

  it("random JSON values", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROUTES), headers, fc.jsonValue(), (route, h, value) => {
        const r = checkAlertRequest({
          route,
          headers: h,
          rawBody: Buffer.from(JSON.stringify(value) ?? ""),
          token: TOKEN,
        });
        expect(ALLOWED.has(status(r))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("random bytes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ROUTES), fc.uint8Array({ maxLength: 200 }), (route, bytes) => {
        const r = checkAlertRequest({ route, headers: BEARER, rawBody: Buffer.from(bytes), token: TOKEN });
        expect(ALLOWED.has(status(r))).toBe(true);
      }),
    );
  });

  it("mutated fixtures", () => {
    const paths = (value: unknown, prefix: string[] = []): string[][] =>
      value && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]) : [];
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), fc.nat(), fc.jsonValue(), fc.boolean(), (name, pick, replacement, asToken) => {
        const doc = fixture(name);
        const all = paths(doc);
        if (all.length > 0) {
          const path = all[pick % all.length];
          const parent = path.slice(0, -1).reduce((node: any, key) => node[key], doc);
          if (parent && typeof parent === "object") parent[path[path.length - 1]] = replacement;
        }
        if (asToken && doc && typeof doc === "object") doc.routing_key = TOKEN;
        const route = routeOf(name);
        const r = checkAlertRequest({
          route,
          headers: asToken ? JSON_TYPE : BEARER,
          rawBody: Buffer.from(JSON.stringify(doc)),
          token: TOKEN,
        });
        expect(ALLOWED.has(status(r))).toBe(true);
        if (r.ok) for (const a of r.alerts) expect(a.fingerprint.length).toBeLessThanOrEqual(255);
      }),
      { numRuns: 500 },
    );
  });
});
