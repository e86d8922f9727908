import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { eventually, type Harness } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { cookieOf, get, signIn, startWebHarness } from "../helpers/web.js";

const kinds = await dbKinds();
const MEMBER = "U0WEBMEMB";

describe.each(kinds)("web view sign-in and sessions (%s)", (kind) => {
  let h: Harness;
  let incId: number;

  beforeAll(async () => {
    h = await startWebHarness(kind, { env: { SLACK_TEAM_ID: "T0001" } });
    const inc = await declareIncident(h.app.ctx, {
      title: "Lead scores drift <script>alert(1)</script>",
      severity: "P2",
      declaredBy: MEMBER,
      source: "command",
    });
    incId = inc.incident.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const sessions = () => h.db.prisma.webSession.count();

  it("redirects a signed-out request to sign-in, keeping where it was going", async () => {
    const r = await get(`${h.appUrl}/app/incidents?severity=P2`);
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/app/login?next=${encodeURIComponent("/app/incidents?severity=P2")}`);
    expect(r.text).toBe("");
  });

  it("signs in through Slack's authorize page with state, nonce and PKCE, and sets an HttpOnly session cookie", async () => {
    const before = await sessions();
    const s = await signIn(h, { userId: MEMBER }, `/app/incidents/INC-${incId}`);
    const q = Object.fromEntries(s.authorizeUrl.searchParams);
    expect(q).toMatchObject({ response_type: "code", client_id: "1111111111.2222222222", code_challenge_method: "S256", team: "T0001" });
    expect(q.scope.split(" ")).toContain("openid");
    expect(q.state.length).toBeGreaterThanOrEqual(40);
    expect(q.nonce.length).toBeGreaterThanOrEqual(40);
    expect(q.redirect_uri).toBe(`${h.appUrl}/app/callback`);
    expect(s.loginCookie).toBe(`incident_login=${q.state}`);
    expect(s.callback.status).toBe(303);
    expect(s.callback.location).toBe(`/app/incidents/INC-${incId}`);
    const set = s.callback.setCookies.find((c) => c.startsWith("incident_session="))!;
    expect(set).toMatch(/; Path=\/app; HttpOnly; SameSite=Lax; Max-Age=43200$/); // http PUBLIC_URL: not Secure
    expect(await sessions()).toBe(before + 1);
    // The database holds the token's hash, never the cookie value; the exchange used our verifier.
    const token = s.session!.split("=")[1]!;
    const row = await h.db.prisma.webSession.findFirst({ orderBy: { createdAt: "desc" } });
    expect(row!.id).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row).toMatchObject({ userId: MEMBER, teamId: "T0001" });
    const exchange = h.fake.callsTo("openid.connect.token").at(-1)!;
    expect(exchange.args).toMatchObject({ client_id: "1111111111.2222222222", redirect_uri: `${h.appUrl}/app/callback` });
    expect(createHash("sha256").update(exchange.args.code_verifier).digest("base64url")).toBe(q.code_challenge);
    expect(h.fake.callsTo("openid.connect.userInfo").at(-1)!.response.ok).toBe(true);
    const page = await get(`${h.appUrl}/app/incidents/INC-${incId}`, s.session);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Lead scores drift &#60;script&#62;alert(1)&#60;/script&#62;");
    expect(page.text).not.toContain("<script>alert(1)");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a forged state, a state from another browser and a replayed callback", async () => {
    const before = await sessions();
    const forged = await get(`${h.appUrl}/app/callback?code=abc&state=forged-state-value`, "incident_login=forged-state-value");
    expect(forged.status).toBe(400);
    expect(forged.text).toContain("expired or was already used");
    const s = await signIn(h, { userId: MEMBER });
    expect(s.callback.status).toBe(303);
    // The same callback again (same browser, same cookie): the state was taken once.
    const replay = await get(s.callbackUrl, s.loginCookie);
    expect(replay.status).toBe(400);
    expect(cookieOf(replay.setCookies, "incident_session")).toBeUndefined();
    // A callback carried to another browser (no login cookie, or another one) is refused before Slack is asked.
    const other = await get(s.callbackUrl);
    expect(other.status).toBe(400);
    expect(other.text).toContain("not started in this browser");
    expect(await sessions()).toBe(before + 1);
  });

  it("refuses another workspace's id_token (SLACK_TEAM_ID)", async () => {
    const before = await sessions();
    const s = await signIn(h, { userId: "U0FOREIGN", teamId: "T9999" });
    expect(s.callback.status).toBe(403);
    expect(s.callback.text).toContain("another Slack workspace");
    expect(s.session).toBeUndefined();
    expect(await sessions()).toBe(before);
  });

  it("refuses Slack's error answer and a bad code, creating nothing", async () => {
    const before = await sessions();
    const login = await get(`${h.appUrl}/app/login`);
    const state = new URL(login.location!).searchParams.get("state")!;
    const cookie = cookieOf(login.setCookies, "incident_login");
    const bad = await get(`${h.appUrl}/app/callback?code=not-a-code&state=${state}`, cookie);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Slack refused the sign-in (invalid_code)");
    const denied = await get(`${h.appUrl}/app/callback?error=access_denied&state=x`);
    expect(denied.status).toBe(400);
    const missing = await get(`${h.appUrl}/app/callback`);
    expect(missing.status).toBe(400);
    expect(await sessions()).toBe(before);
  });

  it("never returns to another site after sign-in (open redirect)", async () => {
    for (const next of ["https://evil.example/x", "//evil.example", "/app/../../etc", "/app/login?next=//evil"]) {
      const s = await signIn(h, { userId: MEMBER }, next);
      expect(s.callback.location).toBe("/app/incidents");
    }
  });

  it("an expired session redirects to sign-in", async () => {
    const s = await signIn(h, { userId: MEMBER });
    expect((await get(`${h.appUrl}/app/incidents`, s.session)).status).toBe(200);
    const id = createHash("sha256").update(s.session!.split("=")[1]!).digest("hex");
    await h.db.prisma.webSession.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await get(`${h.appUrl}/app/incidents`, s.session);
    expect(r.status).toBe(302);
    expect(r.location).toMatch(/^\/app\/login/);
  });

  it("signing out needs the form's CSRF token and our origin; afterwards the old cookie is refused", async () => {
    const s = await signIn(h, { userId: MEMBER });
    const page = await get(`${h.appUrl}/app/incidents`, s.session);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const post = (body: string, headers: Record<string, string> = {}) =>
      get(`${h.appUrl}/app/logout`, s.session, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
      });
    expect((await post("")).status).toBe(403);
    expect((await post("csrf=wrong")).status).toBe(403);
    expect((await post(`csrf=${csrf}`, { origin: "https://evil.example" })).status).toBe(403);
    expect(
      (await get(`${h.appUrl}/app/logout`, s.session, { method: "POST", body: `csrf=${csrf}`, headers: { "content-type": "text/plain" } }))
        .status,
    ).toBe(415);
    // None of the refused posts signed anyone out.
    expect((await get(`${h.appUrl}/app/incidents`, s.session)).status).toBe(200);
    const out = await post(`csrf=${csrf}`, { origin: h.appUrl });
    expect(out.status).toBe(303);
    expect(out.location).toBe("/app/signed-out");
    expect(out.setCookies[0]).toMatch(/^incident_session=; .*Max-Age=0/);
    const id = createHash("sha256").update(s.session!.split("=")[1]!).digest("hex");
    expect((await h.db.prisma.webSession.findUnique({ where: { id } }))!.revokedAt).not.toBeNull();
    const again = await get(`${h.appUrl}/app/incidents/INC-${incId}`, s.session);
    expect(again.status).toBe(302);
    expect(again.text).not.toContain("Lead scores");
  });

  it("path tricks on an incident are not found, showing nothing", async () => {
    const s = await signIn(h, { userId: MEMBER });
    for (const path of [
      `/app/incidents/INC-${incId}%2F..`,
      `/app/incidents/INC-${incId}%2F..%2F..%2Fgates`,
      `/app/incidents/..%2FINC-${incId}`,
      `/app/incidents/INC-0${incId}`,
      `/app/incidents/INC-${incId}/x`,
      `/app/incidents/INC-${incId}%00`,
      `/app/incidents/inc-${incId}`,
      `/app/assets/..%2F..%2Fpackage.json`,
    ]) {
      const r = await get(`${h.appUrl}${path}`, s.session);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain("Lead scores");
    }
  });

  it("a bad filter is a 400 naming the filter, not an empty list", async () => {
    const s = await signIn(h, { userId: MEMBER });
    const r = await get(`${h.appUrl}/app/incidents?severity=P9`, s.session);
    expect(r.status).toBe(400);
    expect(r.text).toContain("severity");
    await eventually(async () => (await get(`${h.appUrl}/app/incidents?severity=P2`, s.session)).text.includes(`INC-${incId}`));
  });
});
