import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbKinds } from "../helpers/test-db.js";
import { eventually, type Harness, startHarness } from "../helpers/harness.js";

const kinds = await dbKinds();

describe.each(kinds)("public status page (%s)", (kind) => {
  let h: Harness;
  let channelId: string;
  let channelName: string;
  beforeAll(async () => {
    h = await startHarness(kind);
    await h.slack.command("/incident", "declare P1 Secret internal title ranker-v7 AUC", { userId: "UDECL", channelId: "CGENERAL" });
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { provisionedAt: { not: null } } }), 15_000, "provisioned");
    channelId = inc.channelId!;
    channelName = inc.channelName!;
    await h.slack.command("/incident", "note internal-only note about the canary", { userId: "UDECL", channelId });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("shows all systems operational before anything is published, with strict headers", async () => {
    const res = await fetch(`${h.appUrl}/status`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=30");
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(res.headers.get("content-security-policy")).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).toMatch(/All systems operational/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<main>/);
    expect(html).not.toMatch(/<script|<link /i);
    expect(html).toMatch(/No incidents in the past 90 days/);
  });

  it("shows only published text, escaped, newest first; nothing internal leaks; 304 on a matching ETag", async () => {
    await h.slack.command("/incident", "statuspage Some users see errors <script>alert(1)</script> & retries", {
      userId: "UDECL",
      channelId,
    });
    await h.slack.command("/incident", "status identified", { userId: "UDECL", channelId });
    await eventually(() => h.db.prisma.incident.findFirst({ where: { channelId, status: "identified" } }), 10_000, "identified");
    await h.slack.command("/incident", "statuspage We found the cause and are rolling out a fix", { userId: "UDECL", channelId });
    const html = await eventually(
      async () => {
        const t = await (await fetch(`${h.appUrl}/status`)).text();
        return /rolling out a fix/.test(t) ? t : undefined;
      },
      10_000,
      "second update on the page",
    );
    expect(html).toContain("Some users see errors &lt;script&gt;alert(1)&lt;/script&gt; &amp; retries");
    expect(html).not.toContain("<script>");
    expect(html.indexOf("rolling out a fix")).toBeLessThan(html.indexOf("Some users see errors"));
    for (const secret of ["Secret internal title", "ranker-v7", "P1", "INC-", channelName, "UDECL", "internal-only note"]) {
      expect(html).not.toContain(secret);
    }
    expect(html).toMatch(/Degraded performance/);
    expect(html).toMatch(/Incidents on 1 of the past 90 days/);
    expect(Buffer.byteLength(html)).toBeLessThan(30_000);

    const first = await fetch(`${h.appUrl}/status`);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect(first.headers.get("last-modified")).toBeTruthy();
    await first.text();
    const again = await fetch(`${h.appUrl}/status`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const since = await fetch(`${h.appUrl}/status`, { headers: { "if-modified-since": first.headers.get("last-modified")! } });
    expect(since.status).toBe(304);

    const link = /href="(\/status\/incidents\/[0-9a-f]{12})"/.exec(html);
    expect(link).toBeTruthy();
    const page = await fetch(`${h.appUrl}${link![1]}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toMatch(/Identified/);
    expect(body).toContain("rolling out a fix");
    expect(body).not.toContain("ranker-v7");
    expect((await fetch(`${h.appUrl}/status/incidents/1`)).status).toBe(404);

    const summaryRes = await fetch(`${h.appUrl}/status/summary.json`);
    expect(summaryRes.headers.get("cache-control")).toBe("public, max-age=30");
    const summaryText = await summaryRes.text();
    for (const secret of ["Secret internal title", "ranker-v7", "INC-", channelName, "UDECL"]) expect(summaryText).not.toContain(secret);
    const summary = JSON.parse(summaryText);
    expect(summary.status.indicator).toBe("minor");
    expect(summary.components).toEqual([{ id: "service", name: "Service", status: "degraded_performance" }]);
    expect(summary.incidents).toHaveLength(1);
    expect(link![1]).toBe(`/status/incidents/${summary.incidents[0].id}`);
    expect(summary.incidents[0].status).toBe("identified");
    expect(summary.incidents[0].incident_updates.map((u: any) => u.body)).toEqual([
      "We found the cause and are rolling out a fix",
      "Some users see errors <script>alert(1)</script> & retries",
    ]);
    expect((await fetch(`${h.appUrl}/status/incidents/000000000000`)).status).toBe(404);
  });
});
