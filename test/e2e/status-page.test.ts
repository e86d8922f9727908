import { mkdtempSync, writeFileSync } from "node:fs";
import { get as httpGet, type IncomingHttpHeaders } from "node:http";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, STATUS_EDIT_FIELDS, VIEWS } from "../../src/chat/ids.js";
import { type FakeStatuspage, startFakeStatuspage } from "../../tools/fake-statuspage/server.js";
import { dbKinds } from "../helpers/test-db.js";
import { eventually, type Harness, jobsDrained, runCommand, startHarness } from "../helpers/harness.js";

const kinds = await dbKinds();

/** Two components; the second maps the lead-scoring model, and both have ids on Atlassian Statuspage. */
const PAGE_FILE = `title: Acme ML status
components:
  - id: api
    name: Scoring API
    description: The HTTP API that serves scores
    group: Lead scoring
    statuspageId: cmpapi
    services: [lead-scoring-api]
  - id: scores
    name: Lead scores in the CRM
    statuspageId: cmpscores
    models: [lead-scoring]
`;

const SECRETS = ["Secret internal title", "ranker-v7", "P1", "INC-", "UDECL", "internal-only note", "sk-live-"];

describe.each(kinds)("public status page (%s)", (kind) => {
  let h: Harness;
  let sp: FakeStatuspage;
  let channelId: string;
  let channelName: string;
  let incidentId: number;

  /** `/incident statuspage <text>` → the ephemeral preview → its Publish button's draft id. */
  async function preview(text: string, userId = "UDECL") {
    const reply = await runCommand(h, "/incident", `statuspage ${text}`, { userId, channelId });
    const actions = (reply.body.blocks ?? []).find((b: any) => b.type === "actions");
    const publish = actions?.elements.find((e: any) => e.action_id === ACTIONS.publishStatus);
    return { reply, draft: publish?.value as string };
  }
  async function clickPublish(draft: string, userId = "UDECL") {
    const res = await h.slack.blockAction({ userId, channelId, actionId: ACTIONS.publishStatus, value: draft });
    const id = res.responseUrl!.split("/").pop();
    return eventually(() => h.fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === id) as any, 10_000, "publish reply");
  }
  const statusHtml = async () => (await fetch(`${h.appUrl}/status`)).text();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "status-page-"));
    writeFileSync(join(dir, "status.yml"), PAGE_FILE);
    sp = await startFakeStatuspage({
      apiKey: "sp-key-123",
      pageId: "pg42",
      components: { cmpapi: "Scoring API", cmpscores: "Lead scores" },
      minIntervalMs: 300,
    });
    h = await startHarness(kind, {
      env: {
        STATUS_PAGE_FILE: join(dir, "status.yml"),
        STATUS_PAGE_URL: "https://status.example.com/status",
        STATUSPAGE_API_KEY: "sp-key-123",
        STATUSPAGE_PAGE_ID: "pg42",
        STATUSPAGE_API_URL: sp.apiUrl,
        // Faster than the fake allows, so its 420s are met and retried.
        STATUSPAGE_MIN_INTERVAL_MS: "200",
      },
    });
    await h.slack.command("/incident", "declare P1 Secret internal title ranker-v7 AUC sk-live-abc", {
      userId: "UDECL",
      channelId: "CGENERAL",
    });
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { provisionedAt: { not: null } } }), 15_000, "provisioned");
    channelId = inc.channelId!;
    channelName = inc.channelName!;
    incidentId = inc.id;
    await h.db.prisma.incident.update({ where: { id: inc.id }, data: { service: "lead-scoring-api" } });
    await h.slack.command("/incident", "note internal-only note about the canary", { userId: "UDECL", channelId });
  });
  afterAll(async () => {
    await h?.close();
    await sp?.close();
  });

  it("shows all systems operational before anything is published, with strict headers and the file's components", async () => {
    const res = await fetch(`${h.appUrl}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).toMatch(/<h1>Acme ML status<\/h1>/);
    expect(html).toMatch(/All systems operational/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<main>/);
    expect(html).not.toMatch(/<script|<link /i);
    expect(html).toContain("Scoring API");
    expect(html).toContain("Lead scores in the CRM");
    expect(html).toMatch(/No incidents in the past 90 days/);
  });

  it("statuspage <text> shows a preview; nothing is public until Publish; Publish once, even clicked twice", async () => {
    const { reply, draft } = await preview("Some users see errors <script>alert(1)</script> & retries");
    expect(draft).toMatch(/^\d+$/);
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toContain("nothing is public until you publish");
    expect(shown).toContain("Some users see errors &lt;script&gt;");
    expect(shown).toContain("Scoring API: Degraded performance"); // the incident's service maps onto the component
    expect(shown).toContain("Scoring API: service disruption"); // a default name from the components, never the internal title
    expect(shown).not.toContain("Secret internal title");
    expect(await statusHtml()).not.toContain("Some users see errors");
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId, kind: "statuspage.updated" } })).toBe(0);

    const done = await clickPublish(draft);
    expect(done.body.replace_original).toBe(true);
    expect(done.body.text).toMatch(/Published to the <https:\/\/status\.example\.com\/status\/incidents\/[0-9a-f]{12}\|status page>/);
    const again = await clickPublish(draft);
    expect(again.body.text).toMatch(/already published/);
    expect(await h.db.prisma.timelineEvent.count({ where: { incidentId, kind: "statuspage.updated" } })).toBe(1);
    const ev = await h.db.prisma.timelineEvent.findFirstOrThrow({ where: { incidentId, kind: "statuspage.updated" } });
    expect(ev.actorId).toBe("UDECL");
    const note = await eventually(() =>
      h.fake.messages(channelId).find((m) => /published to the <https:\/\/status\.example\.com/.test(m.text ?? "")),
    );
    expect(note.text).toContain("<@UDECL>");
    const html = await statusHtml();
    expect(html).toContain("Some users see errors &lt;script&gt;alert(1)&lt;/script&gt; &amp; retries");
    expect(html).toMatch(/Degraded performance/);
  });

  it("status and component commands reach the page with the next publication; bad ones get the usage", async () => {
    const bad = await runCommand(h, "/incident", "statuspage component nope major_outage", { userId: "UDECL", channelId });
    expect(bad.text).toMatch(/no component "nope"/);
    expect(bad.text).toContain("`api`");
    expect(bad.text).toContain("`scores`");
    const badStatus = await runCommand(h, "/incident", "statuspage component scores broken", { userId: "UDECL", channelId });
    expect(badStatus.text).toMatch(/one of operational, degraded_performance, partial_outage, major_outage/);
    const badPublic = await runCommand(h, "/incident", "statuspage status fixed", { userId: "UDECL", channelId });
    expect(badPublic.text).toMatch(/investigating, identified, monitoring, resolved/);
    const outside = await runCommand(h, "/incident", "statuspage hello", { userId: "UDECL", channelId: "CGENERAL" });
    expect(outside.text).toMatch(/statuspage/);
    expect(outside.text).toMatch(/incident channel/i);

    await runCommand(h, "/incident", "statuspage component scores partial_outage", { userId: "UDECL", channelId });
    await runCommand(h, "/incident", "statuspage status identified", { userId: "UDECL", channelId });
    const before = await statusHtml();
    expect(before).not.toMatch(/Partial outage/); // chosen, not yet published
    const { draft } = await preview("We found the cause and are rolling out a fix");
    await clickPublish(draft);
    const html = await statusHtml();
    expect(html).toMatch(/Partial outage/);
    expect(html.indexOf("rolling out a fix")).toBeLessThan(html.indexOf("Some users see errors"));
    for (const secret of [...SECRETS, channelName]) expect(html).not.toContain(secret);
    expect(html).toMatch(/Incidents on 1 of the past 90 days/);
    expect(html).toMatch(/Lead scores in the CRM<\/strong>: affected on 1 of the past 90 days \(worst: partial outage\)/);
    expect(Buffer.byteLength(html)).toBeLessThan(30_000);
  });

  it("Edit opens the name and text; submitting publishes under the confirmed public name", async () => {
    const { draft } = await preview("Draft to edit");
    const click = await h.slack.blockAction({ userId: "UCOMMS", channelId, actionId: ACTIONS.editStatus, value: draft });
    const opened = await h.fake.waitForCall("views.open", (c) => c.args.trigger_id === click.triggerId);
    const view = opened.args.view;
    expect(view.callback_id).toBe(VIEWS.statusEdit);
    expect(JSON.stringify(view)).toContain("Draft to edit");
    const empty = await h.slack.viewSubmission({
      userId: "UCOMMS",
      callbackId: VIEWS.statusEdit,
      privateMetadata: view.private_metadata,
      values: {
        [STATUS_EDIT_FIELDS.name.block]: { [STATUS_EDIT_FIELDS.name.action]: "Lead scores delayed" },
        [STATUS_EDIT_FIELDS.text.block]: { [STATUS_EDIT_FIELDS.text.action]: "   " },
      },
    });
    expect(JSON.parse(empty.body).response_action).toBe("errors");
    await h.slack.viewSubmission({
      userId: "UCOMMS",
      callbackId: VIEWS.statusEdit,
      privateMetadata: view.private_metadata,
      values: {
        [STATUS_EDIT_FIELDS.name.block]: { [STATUS_EDIT_FIELDS.name.action]: "Lead scores delayed" },
        [STATUS_EDIT_FIELDS.text.block]: { [STATUS_EDIT_FIELDS.text.action]: "Edited: scores are up to 20 minutes late" },
      },
    });
    const html = await eventually(async () => {
      const t = await statusHtml();
      return t.includes("Edited: scores are up to 20 minutes late") ? t : undefined;
    });
    expect(html).toContain("Lead scores delayed");
    expect(html).not.toContain("Draft to edit");
  });

  it("summary.json, the Atom feed and the incident page carry only published text, with 304s", async () => {
    const summaryRes = await fetch(`${h.appUrl}/status/summary.json`);
    expect(summaryRes.headers.get("cache-control")).toBe("public, max-age=30");
    const summaryText = await summaryRes.text();
    for (const secret of [...SECRETS, channelName]) expect(summaryText).not.toContain(secret);
    const summary = JSON.parse(summaryText);
    expect(summary.page.name).toBe("Acme ML status");
    expect(summary.status.indicator).toBe("major");
    expect(summary.components).toEqual([
      { id: "api", name: "Scoring API", status: "degraded_performance" },
      { id: "scores", name: "Lead scores in the CRM", status: "partial_outage" },
    ]);
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0].name).toBe("Lead scores delayed");
    expect(summary.incidents[0].status).toBe("identified");
    expect(summary.incidents[0].incident_updates.map((u: any) => u.body)).toEqual([
      "Edited: scores are up to 20 minutes late",
      "We found the cause and are rolling out a fix",
      "Some users see errors <script>alert(1)</script> & retries",
    ]);
    const pid = summary.incidents[0].id;
    expect(summaryRes.headers.get("content-type")).toMatch(/^application\/json/);
    expect(summaryRes.headers.get("access-control-allow-origin")).toBe("*");
    const summaryTag = summaryRes.headers.get("etag")!;
    expect(summaryTag).toMatch(/^"/);
    expect((await fetch(`${h.appUrl}/status/summary.json`, { headers: { "if-none-match": summaryTag } })).status).toBe(304);
    const since = { "if-modified-since": summaryRes.headers.get("last-modified")! };
    expect((await fetch(`${h.appUrl}/status/summary.json`, { headers: since })).status).toBe(304);

    const feedRes = await fetch(`${h.appUrl}/status/history.atom`);
    expect(feedRes.status).toBe(200);
    expect(feedRes.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const atom = await feedRes.text();
    expect(atom).toMatch(/^<\?xml/);
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(atom.match(/<entry>/g)).toHaveLength(3);
    expect(atom).toContain(`https://status.example.com/status/incidents/${pid}`);
    expect(atom).not.toContain("<script>");
    // type="html" content: the markup is escaped inside it, so a feed reader shows it as text.
    expect(atom).toContain("Some users see errors &lt;script&gt;alert(1)&lt;/script&gt; &amp; retries");
    for (const secret of [...SECRETS, channelName]) expect(atom).not.toContain(secret);
    const etag = feedRes.headers.get("etag")!;
    expect((await fetch(`${h.appUrl}/status/history.atom`, { headers: { "if-none-match": etag } })).status).toBe(304);

    const first = await fetch(`${h.appUrl}/status`);
    const pageTag = first.headers.get("etag")!;
    await first.text();
    expect((await fetch(`${h.appUrl}/status`, { headers: { "if-none-match": pageTag } })).status).toBe(304);
    expect((await fetch(`${h.appUrl}/status`, { headers: { "if-modified-since": first.headers.get("last-modified")! } })).status).toBe(304);
    // gzip (made once with the answer) for clients that take it: the same page, its own ETag, and either tag means unchanged.
    const rawGet = (headers: Record<string, string>) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        httpGet(`${h.appUrl}/status`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        }).on("error", reject);
      });
    const zipped = await rawGet({ "accept-encoding": "gzip, deflate" });
    const plainPage = await rawGet({});
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(plainPage.headers["content-encoding"]).toBeUndefined();
    expect(zipped.headers.vary).toBe("accept-encoding");
    expect(gunzipSync(zipped.body).equals(plainPage.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plainPage.body.length);
    expect(zipped.headers.etag).not.toBe(plainPage.headers.etag);
    expect((await fetch(`${h.appUrl}/status`, { headers: { "if-none-match": plainPage.headers.etag! } })).status).toBe(304);
    expect((await fetch(`${h.appUrl}/status`, { headers: { "if-none-match": zipped.headers.etag! } })).status).toBe(304);

    const page = await fetch(`${h.appUrl}/status/incidents/${pid}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toMatch(/Identified/);
    expect(body).toContain("Lead scores delayed");
    for (const secret of [...SECRETS, channelName]) expect(body).not.toContain(secret);
    expect((await fetch(`${h.appUrl}/status/incidents/${incidentId}`)).status).toBe(404);
    expect((await fetch(`${h.appUrl}/status/incidents/000000000000`)).status).toBe(404);
  });

  it("mirrors to Atlassian Statuspage: created once with OAuth, updated, components set, a burst ends with the latest state", async () => {
    await jobsDrained(h, 30_000);
    const remote = await eventually(
      () => [...sp.incidents.values()].find((i) => i.incident_updates[0]?.body.startsWith("Edited")),
      20_000,
      "mirrored",
    );
    expect(sp.incidents.size).toBe(1);
    expect(sp.calls.filter((c) => c.method === "POST" && c.status === 201)).toHaveLength(1);
    expect(sp.calls.every((c) => c.authorization === "OAuth sp-key-123")).toBe(true);
    expect(remote.name).toBe("Lead scores delayed");
    expect(remote.status).toBe("identified");
    expect(remote.metadata.incident_bot?.public_id).toMatch(/^[0-9a-f]{12}$/);
    expect(sp.components.get("cmpscores")!.status).toBe("partial_outage");
    expect(sp.components.get("cmpapi")!.status).toBe("degraded_performance");
    const mirror = await h.db.prisma.statuspageMirror.findUniqueOrThrow({ where: { incidentId } });
    expect(mirror.remoteId).toBe(remote.id);
    expect(mirror.shortlink).toBe(remote.shortlink);

    // A burst of 10 publications: coalesced by the queue, paced, 420s retried; the last one is there, nothing doubled.
    for (let i = 1; i <= 10; i++) {
      const { draft } = await preview(`Burst update ${i}`);
      await clickPublish(draft);
    }
    await eventually(() => remote.incident_updates[0]?.body === "Burst update 10", 30_000, "latest state on Statuspage");
    await jobsDrained(h, 30_000);
    expect(sp.incidents.size).toBe(1);
    expect(remote.incident_updates[0]!.body).toBe("Burst update 10");
    const accepted = sp.calls.filter((c) => c.status < 300);
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]!.at - accepted[i - 1]!.at).toBeGreaterThanOrEqual(290);
    const patches = sp.calls.filter((c) => c.method === "PATCH" && c.path.includes("/incidents/") && c.status === 200).length;
    expect(patches).toBeLessThan(11); // coalesced: fewer calls than publications
  });

  it("a Statuspage failure is told once in the channel, and the next publication after it recovers gets through", async () => {
    sp.failNext(401, 1);
    const { draft } = await preview("Monitoring the fix");
    await clickPublish(draft);
    const warn = await eventually(
      () => h.fake.messages(channelId).find((m) => /could not be mirrored to Atlassian Statuspage/.test(m.text ?? "")),
      20_000,
    );
    expect(warn.text).toContain("401");
    await jobsDrained(h, 30_000);
    expect(h.fake.messages(channelId).filter((m) => /could not be mirrored/.test(m.text ?? ""))).toHaveLength(1);
    sp.failNext(503, 2); // retried
    const next = await preview("Still monitoring");
    await clickPublish(next.draft);
    const remote = [...sp.incidents.values()][0]!;
    await eventually(() => remote.incident_updates[0]?.body === "Still monitoring", 30_000, "after recovery");
    await eventually(async () => !(await h.db.prisma.statuspageMirror.findUniqueOrThrow({ where: { incidentId } })).failure, 10_000);
    expect(sp.incidents.size).toBe(1);
  });

  it("resolve offers a drafted resolved update; publishing it resolves the page and sets components back to operational", async () => {
    await runCommand(h, "/incident", "comms <@UCOMMS|comms>", { userId: "UDECL", channelId });
    await runCommand(h, "/incident", "resolve Fixed the feature pipeline", { userId: "UDECL", channelId });
    const offer = await eventually(
      () => h.fake.callsTo("chat.postEphemeral").find((c) => JSON.stringify(c.args.blocks ?? []).includes(ACTIONS.publishStatus)),
      15_000,
      "resolved draft offered",
    );
    expect(offer.args.user).toBe("UCOMMS"); // the comms owner (else the lead, else the declarer)
    const blocks = offer.args.blocks as any[];
    const draft = blocks.find((b) => b.type === "actions").elements.find((e: any) => e.action_id === ACTIONS.publishStatus).value;
    expect(JSON.stringify(blocks)).toContain("Resolved");
    await clickPublish(draft, "UCOMMS");
    const summary = await (await fetch(`${h.appUrl}/status/summary.json`)).json();
    expect(summary.incidents).toEqual([]);
    expect(summary.status.indicator).toBe("none");
    expect(summary.components.map((c: any) => c.status)).toEqual(["operational", "operational"]);
    const html = await statusHtml();
    expect(html).toMatch(/All systems operational/);
    expect(html).toMatch(/Resolved incidents/);
    expect(html).toContain("Lead scores delayed");
    const remote = [...sp.incidents.values()][0]!;
    await eventually(() => remote.status === "resolved", 20_000, "resolved on Statuspage");
    await eventually(() => sp.components.get("cmpscores")!.status === "operational", 10_000);
  });
});
