// The web view in real Chromium: sign in through the fake Slack's authorize page, pages as a member and as an
// outsider, the gate audit trail, the charts drawn, axe-core clean on every page, no sideways scroll at 320 px.
// With WEB_SCREENSHOTS=1 it also writes the README's screenshots to docs/screenshots/.
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acknowledgeIncident } from "../../src/incidents/acknowledge-incident.js";
import { addNote } from "../../src/incidents/add-note.js";
import { setItemOwner } from "../../src/incidents/checklist-items.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { setStatus } from "../../src/incidents/set-status.js";
import { openGate } from "../../src/gates/open-gate.js";
import { setGateItemOwner } from "../../src/gates/set-gate-item-owner.js";
import { markGateItemNa } from "../../src/gates/mark-gate-item-na.js";
import { loadGateView } from "../../src/gates/gate-view.js";
import { axeViolations, browserAvailable, hasHorizontalScroll, launchBrowser } from "../helpers/browser.js";
import { declareAndProvision, type Harness, jobsDrained } from "../helpers/harness.js";
import { startWebHarness } from "../helpers/web.js";

const available = browserAvailable();
const LEAD = "U0BROWSER";
const OUTSIDER = "U0NOTMEMB";
const SHOTS = process.env.WEB_SCREENSHOTS === "1" ? "docs/screenshots" : undefined;

describe.skipIf(!available)("web view in Chromium", () => {
  let h: Harness;
  let browser: Browser;
  let member: BrowserContext;
  let publicId: number;
  let privateId: number;
  let gateId: number;
  let dataId: number;

  /** Signs in in a fresh browser context through the fake's authorize page, as `userId`. */
  async function signInAs(userId: string): Promise<BrowserContext> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.appUrl}/app/incidents`);
    // Redirected to /app/login and on to the (fake) Slack authorize page.
    await page.waitForURL((u) => u.pathname === "/openid/connect/authorize");
    await page.fill("#user", userId);
    await page.click("#allow");
    await page.waitForURL((u) => u.toString().startsWith(`${h.appUrl}/app/incidents`));
    await page.close();
    return context;
  }

  async function open(context: BrowserContext, path: string): Promise<{ page: Page; status: number }> {
    const page = await context.newPage();
    const res = await page.goto(`${h.appUrl}${path}`);
    return { page, status: res!.status() };
  }

  /**
   * axe-core is injected as an inline script, which our CSP (script-src 'self') rightly blocks: the check runs on
   * the same page, with the same cookies, in a context that bypasses CSP. Everything else runs under the CSP.
   */
  async function expectAccessible(shown: Page, name: string) {
    const axeContext = await browser.newContext({ bypassCSP: true, storageState: await shown.context().storageState() });
    const page = await axeContext.newPage();
    await page.goto(shown.url());
    if (name === "stats") await page.waitForFunction(() => (globalThis as any).Chart?.getChart("chart-severity") !== undefined);
    expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await hasHorizontalScroll(page), `sideways scroll at 320 px on ${name}`).toBe(false);
    if (SHOTS && name === "incident") await page.screenshot({ path: `${SHOTS}/web-${name}-320.png`, fullPage: false });
    await page.setViewportSize({ width: 1100, height: 800 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/web-${name}.png`, fullPage: false });
    await axeContext.close();
  }

  beforeAll(async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    h = await startWebHarness("pglite");
    const ctx = h.app.ctx;
    publicId = (
      await declareIncident(ctx, {
        title: "Lead scoring p99 latency doubled after v42",
        severity: "P1",
        category: "model",
        service: "lead-scoring",
        declaredBy: LEAD,
        source: "command",
      })
    ).incident.id;
    const item = await h.db.prisma.checklistItem.findFirst({ where: { incidentId: publicId }, orderBy: { position: "asc" } });
    await setItemOwner(ctx, publicId, LEAD, item!.number, LEAD);
    await acknowledgeIncident(ctx, publicId, LEAD);
    await addNote(ctx, publicId, LEAD, "Rolling back the alias to v41");
    await setStatus(ctx, publicId, LEAD, "mitigated");
    dataId = (
      await declareIncident(ctx, {
        title: "Null rate on lead_source",
        severity: "P3",
        category: "data",
        declaredBy: LEAD,
        source: "command",
      })
    ).incident.id;
    await setStatus(ctx, dataId, LEAD, "resolved", "backfilled");
    privateId = (await declareAndProvision(h, "--private P2 Payroll model exposes salaries", LEAD)).id;
    h.fake.ensureChannel({ id: "CRELEASE", name: "releases" });
    const { gate } = await openGate(ctx, { templateId: "shadow", subject: "lead-scoring-v42", channelId: "CRELEASE", openedBy: LEAD });
    gateId = gate.id;
    const g = await loadGateView(h.db.prisma, gateId);
    await setGateItemOwner(ctx, gateId, LEAD, g.items[0]!.number, "U0OWNERAA");
    await markGateItemNa(ctx, gateId, LEAD, g.items[1]!.number, "no new features in this release");
    await jobsDrained(h);
    browser = await launchBrowser();
    member = await signInAs(LEAD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("signs in through Slack and lists incidents; the list is axe-clean and fits 320 px", async () => {
    const { page, status } = await open(member, "/app/incidents");
    expect(status).toBe(200);
    expect(await page.textContent("h1")).toBe("Incidents");
    const cells = await page.$$eval("tbody tr td:first-child a", (as) => as.map((a) => a.textContent));
    expect(cells).toEqual([`INC-${privateId}`, `INC-${dataId}`, `INC-${publicId}`]);
    // Keyboard: the first Tab reaches the skip link.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    // Filtering is a plain GET form.
    await page.selectOption("#f-severity", "P1");
    await Promise.all([page.waitForURL(/severity=P1/), page.click("button[type=submit] >> text=Filter")]);
    expect(await page.$$eval("tbody tr", (rs) => rs.length)).toBe(1);
    await page.goto(`${h.appUrl}/app/incidents`);
    await expectAccessible(page, "incidents");
  });

  it("a member sees the private incident; a non-member gets 404 and nothing of it", async () => {
    const { page, status } = await open(member, `/app/incidents/INC-${privateId}`);
    expect(status).toBe(200);
    expect(await page.textContent("h1")).toContain("Payroll model exposes salaries");
    await expectAccessible(page, "private-incident");
    const outsider = await signInAs(OUTSIDER);
    const other = await open(outsider, `/app/incidents/INC-${privateId}`);
    expect(other.status).toBe(404);
    expect(await other.page.content()).not.toContain("Payroll");
    expect(await other.page.$$eval("tbody tr td:first-child a", (as) => as.map((a) => a.textContent))).toEqual([]);
    await outsider.close();
  });

  it("shows one incident with its playbook owners, clocks and timeline", async () => {
    const { page, status } = await open(member, `/app/incidents/INC-${publicId}`);
    expect(status).toBe(200);
    expect(await page.textContent("h1")).toBe(`INC-${publicId}: Lead scoring p99 latency doubled after v42`);
    expect(await page.locator("table", { hasText: "Timeline" }).textContent()).toContain("Rolling back the alias to v41");
    await expectAccessible(page, "incident");
  });

  it("shows the gate list and one gate's audit trail", async () => {
    const list = await open(member, "/app/gates");
    expect(list.status).toBe(200);
    await expectAccessible(list.page, "gates");
    const { page, status } = await open(member, `/app/gates/G-${gateId}`);
    expect(status).toBe(200);
    const events = await h.db.prisma.gateEvent.count({ where: { gateId } });
    expect(await page.$$eval("#audit tbody tr", (rs) => rs.length)).toBe(events);
    expect(await page.textContent("#audit")).toContain("N/A — no new features in this release");
    await expectAccessible(page, "gate");
  });

  it("draws the charts with chart.js from the bot (13 weekly points) beside the tables", async () => {
    const { page, status } = await open(member, "/app/stats");
    expect(status).toBe(200);
    await page.waitForFunction(() => (globalThis as any).Chart?.getChart("chart-severity") !== undefined);
    const drawn = await page.evaluate(() => {
      const C = (globalThis as any).Chart;
      const points = (id: string) => C.getChart(id).getDatasetMeta(0).data.length;
      return {
        weekly: points("chart-weekly"),
        lines: C.getChart("chart-weekly").data.datasets.length,
        category: points("chart-category"),
        severity: points("chart-severity"),
      };
    });
    expect(drawn).toEqual({ weekly: 13, lines: 3, category: 3, severity: 3 }); // categories: data, model, unclassified
    // The canvas has pixels on it, not only a chart object.
    const inked = await page.evaluate(() => {
      const c = document.getElementById("chart-weekly") as HTMLCanvasElement;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(500);
    expect(await page.$$eval("#table-weekly tbody tr", (rs) => rs.length)).toBe(13);
    await expectAccessible(page, "stats");
  });
});
