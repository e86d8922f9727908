import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/chat/ids.js";
import { axeViolations, browserAvailable, hasHorizontalScroll, launchBrowser } from "../helpers/browser.js";
import { eventually, type Harness, runCommand, startHarness } from "../helpers/harness.js";

const PAGE_FILE = `title: Acme lead scoring status
components:
  - id: api
    name: Scoring API
    description: Scores served to the CRM
    services: [lead-scoring-api]
  - id: scores
    name: Lead scores in the CRM
  - id: training
    name: Nightly retraining
`;

// The page is the same HTML on both databases (status-page.test.ts covers both); one real browser run is enough.
// UPDATE_SCREENSHOTS=1 also writes the README's docs/status-page.png from this run.
const shotsDir = mkdtempSync(join(tmpdir(), "status-shots-"));

describe.skipIf(!browserAvailable())("public status page in a real browser (Chromium)", () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let channelId: string;

  async function publish(text: string) {
    const reply = await runCommand(h, "/incident", `statuspage ${text}`, { userId: "UDECL", channelId });
    const actions = (reply.body.blocks ?? []).find((b: any) => b.type === "actions");
    const value = actions.elements.find((e: any) => e.action_id === ACTIONS.publishStatus).value;
    await h.slack.blockAction({ userId: "UDECL", channelId, actionId: ACTIONS.publishStatus, value });
  }

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "status-browser-"));
    writeFileSync(join(dir, "status.yml"), PAGE_FILE);
    h = await startHarness("pglite", { env: { STATUS_PAGE_FILE: join(dir, "status.yml"), TIMEZONE: "UTC" } });
    browser = await launchBrowser();
    // The page's CSP forbids every script, axe-core's too: the test context bypasses it to inject axe (only axe).
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await h.slack.command("/incident", "declare P1 Internal: ranker-v7 AUC collapse", { userId: "UDECL", channelId: "CGENERAL" });
    const inc = await eventually(() => h.db.prisma.incident.findFirst({ where: { provisionedAt: { not: null } } }), 15_000, "provisioned");
    channelId = inc.channelId!;
    await h.db.prisma.incident.update({ where: { id: inc.id }, data: { service: "lead-scoring-api" } });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("renders the update after Publish, axe-clean, no sideways scroll at 320 px, in light and dark", async () => {
    await runCommand(h, "/incident", "statuspage name Lead scores delayed", { userId: "UDECL", channelId });
    await runCommand(h, "/incident", "statuspage component scores partial_outage", { userId: "UDECL", channelId });
    await publish("Some lead scores in the CRM are up to 40 minutes old. We are re-running the scoring job. <img src=x onerror=alert(1)>");
    await page.goto(`${h.appUrl}/status`);
    await eventually(
      async () => /40 minutes old/.test((await page.textContent("main")) ?? "") || (await page.reload(), false),
      10_000,
      "the update",
    );
    expect(await page.textContent("h1")).toBe("Acme lead scoring status");
    const main = (await page.textContent("main"))!;
    expect(main).toContain("Lead scores delayed");
    expect(main).toContain("Partial outage");
    expect(main).toContain("<img src=x onerror=alert(1)>"); // shown as text
    expect(await page.locator("img").count()).toBe(0);
    expect(main).not.toContain("ranker-v7");
    expect(await axeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.screenshot({ path: join(shotsDir, "status-1280.png"), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === "1") await page.screenshot({ path: "docs/status-page.png", fullPage: false });

    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shotsDir, "status-320.png"), fullPage: true });

    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("updates when the public status changes, and the incident page is axe-clean too", async () => {
    await runCommand(h, "/incident", "statuspage status monitoring", { userId: "UDECL", channelId });
    await publish("A fix is in place: scores are current again. We are monitoring.");
    await page.goto(`${h.appUrl}/status`);
    await eventually(
      async () => /monitoring\./.test((await page.textContent("main")) ?? "") || (await page.reload(), false),
      10_000,
      "the new status",
    );
    const first = page.locator("article").first();
    expect(await first.textContent()).toMatch(/Status: Monitoring/);
    await first.locator("a").click();
    await page.waitForURL(/\/status\/incidents\/[0-9a-f]{12}$/);
    const text = (await page.textContent("main"))!;
    expect(text.indexOf("A fix is in place")).toBeLessThan(text.indexOf("40 minutes old"));
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await hasHorizontalScroll(page)).toBe(false);
  });

  it("a page with scheduled, in-progress and completed maintenance is axe-clean at 1280 and 320 px, light and dark", async () => {
    const as = { userId: "UCOMMS", channelId: "CGENERAL" };
    const utc = (d: Date) => d.toISOString().slice(0, 16).replace("T", " "); // TIMEZONE is UTC here
    const now = Date.now();
    const scheduleAndPublish = async (args: string) => {
      const reply = await runCommand(h, "/incident", `maintenance schedule ${args}`, as);
      const actions = (reply.body.blocks ?? []).find((b: any) => b.type === "actions");
      const value = actions.elements.find((e: any) => e.action_id === ACTIONS.publishMaintenance).value as string;
      await h.slack.blockAction({ ...as, actionId: ACTIONS.publishMaintenance, value });
      return value;
    };
    await scheduleAndPublish(`${utc(new Date(now - 60_000))} for 3h "Retraining pipeline upgrade" components training`);
    const done = await scheduleAndPublish(`${utc(new Date(now - 120_000))} for 1h "Feature store index rebuild" components scores`);
    await scheduleAndPublish(`${utc(new Date(now + 2 * 86_400_000))} for 2h "Database upgrade" components api,scores`);
    await runCommand(h, "/incident", `maintenance complete ${done}`, as);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${h.appUrl}/status`);
    await eventually(
      async () => /Database upgrade/.test((await page.textContent("main")) ?? "") || (await page.reload(), false),
      10_000,
      "the maintenance",
    );
    const maintenance = (await page.locator("section", { has: page.locator("h2#maintenance") }).textContent())!;
    expect(maintenance).toMatch(/Retraining pipeline upgrade.*In progress/s);
    expect(maintenance).toMatch(/Database upgrade.*Scheduled/s);
    expect(await page.locator("section", { has: page.locator("h2#completed-maintenance") }).textContent()).toContain(
      "Feature store index rebuild",
    );
    expect(await page.locator("li.c", { hasText: "Nightly retraining" }).textContent()).toContain("Under maintenance");
    expect(await axeViolations(page)).toEqual([]);
    expect(await hasHorizontalScroll(page)).toBe(false);
    await page.screenshot({ path: join(shotsDir, "status-maintenance-1280.png"), fullPage: true });
    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    expect(await hasHorizontalScroll(page)).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shotsDir, "status-maintenance-320-dark.png"), fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });
  });
});
