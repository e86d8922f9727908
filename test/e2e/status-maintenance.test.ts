import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/chat/ids.js";
import { ManualClock } from "../../src/clock.js";
import { type FakeStatuspage, startFakeStatuspage } from "../../tools/fake-statuspage/server.js";
import { dbKinds } from "../helpers/test-db.js";
import { eventually, type Harness, jobsDrained, runCommand, startHarness } from "../helpers/harness.js";

const kinds = await dbKinds();

const PAGE_FILE = `title: Acme ML status
components:
  - id: api
    name: Scoring API
    statuspageId: cmpapi
  - id: scores
    name: Lead scores in the CRM
    statuspageId: cmpscores
`;

/** Scheduled maintenance from Slack: preview → Publish, the page through its window, summary.json, the feed, the mirror. */
describe.each(kinds)("scheduled maintenance on the status page (%s)", (kind) => {
  let h: Harness;
  let sp: FakeStatuspage;
  // Times typed in Europe/Berlin (UTC+1 in December): 2026-12-05 02:00 there is 01:00 UTC.
  const clock = new ManualClock(new Date("2026-12-03T10:00:00Z"));
  let dbUpgrade: number;
  const as = { userId: "UMAINT1", channelId: "CGENERAL" };

  const get = async (path: string) => (await fetch(`${h.appUrl}${path}`)).text();
  const summary = async () => JSON.parse(await get("/status/summary.json"));
  /** `/incident maintenance schedule …` → the preview → its Publish button's value (the maintenance id). */
  async function schedule(args: string) {
    const reply = await runCommand(h, "/incident", `maintenance schedule ${args}`, as);
    const actions = (reply.body.blocks ?? []).find((b: any) => b.type === "actions");
    const publish = actions?.elements.find((e: any) => e.action_id === ACTIONS.publishMaintenance);
    return { reply, id: publish?.value as string };
  }
  async function clickPublish(value: string) {
    const res = await h.slack.blockAction({ ...as, actionId: ACTIONS.publishMaintenance, value });
    const id = res.responseUrl!.split("/").pop();
    return eventually(() => h.fake.ephemerals.find((e: any) => e.via === "response_url" && e.id === id) as any, 10_000, "publish reply");
  }

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "status-maint-"));
    writeFileSync(join(dir, "status.yml"), PAGE_FILE);
    sp = await startFakeStatuspage({
      apiKey: "sp-key-m",
      pageId: "pgm",
      components: { cmpapi: "Scoring API", cmpscores: "Lead scores" },
      minIntervalMs: 200,
    });
    h = await startHarness(kind, {
      clock,
      env: {
        TIMEZONE: "Europe/Berlin",
        STATUS_PAGE_FILE: join(dir, "status.yml"),
        STATUS_PAGE_URL: "https://status.example.com/status",
        STATUSPAGE_API_KEY: "sp-key-m",
        STATUSPAGE_PAGE_ID: "pgm",
        STATUSPAGE_API_URL: sp.apiUrl,
        STATUSPAGE_MIN_INTERVAL_MS: "250",
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await sp?.close();
  });

  it("bad input gets an ephemeral answer with the usage, and stores nothing", async () => {
    const cases: [string, RegExp][] = [
      ['schedule 2026-12-05 02:00 until 01:00 "Database upgrade"', /end must be after the start/],
      ['schedule 2026-12-05 02:00 for 2h "Database upgrade" components api,nope', /no component "nope".*`api`.*`scores`/],
      ['schedule 2026-13-05 02:00 for 2h "Database upgrade"', /no date 2026-13-05/],
      ['schedule 2026-02-30 02:00 for 2h "Database upgrade"', /no date 2026-02-30/],
      ['schedule tomorrow 02:00 for 2h "Database upgrade"', /date must look like 2026-12-05/],
      ['schedule 2026-12-05 25:00 for 2h "Database upgrade"', /no time 25:00/],
      ['schedule 2026-12-05 02:00 for two hours "Database upgrade"', /duration must look like 2h/],
      ["schedule 2026-12-05 02:00 for 2h Database upgrade", /title in quotes/],
      ['schedule 2026-12-01 02:00 for 2h "Database upgrade"', /already over/],
      ["frobnicate", /no `maintenance frobnicate`/],
      ["", /Say what to do with maintenance/],
      ["complete soon", /which maintenance to complete/],
      ["cancel 999", /no published maintenance #999/],
    ];
    for (const [args, expected] of cases) {
      const r = await runCommand(h, "/incident", `maintenance ${args}`, as);
      expect(r.text, args).toMatch(expected);
      if (!/#999/.test(r.text)) expect(r.text, args).toContain("/incident maintenance schedule");
      expect(r.body.response_type ?? "ephemeral").toBe("ephemeral");
    }
    expect(await h.db.prisma.statusMaintenance.count()).toBe(0);
  });

  it("schedule → preview → Publish (once) → the page, summary.json and the feed show it scheduled; Statuspage gets it once", async () => {
    // Curly quotes, as Slack may send them.
    const { reply, id } = await schedule("2026-12-05 02:00 for 2h “Database upgrade <b>now</b>” components api");
    expect(id).toMatch(/^\d+$/);
    dbUpgrade = Number(id);
    const shown = JSON.stringify(reply.body.blocks);
    expect(shown).toContain("nothing is public until you publish");
    expect(shown).toContain("2026-12-05 02:00 to 2026-12-05 04:00 Europe/Berlin (2026-12-05 01:00 to 2026-12-05 03:00 UTC)");
    expect(shown).toContain("Scoring API (`api`)");
    expect(shown).not.toContain("Lead scores in the CRM");
    expect(await get("/status")).not.toContain("Database upgrade");

    expect((await clickPublish(id)).body.text).toMatch(
      /Maintenance #\d+ .* is on the <https:\/\/status\.example\.com\/status\|status page>/,
    );
    expect((await clickPublish(id)).body.text).toMatch(/already published/);

    const html = await get("/status");
    expect(html).toContain('<h2 id="maintenance">Scheduled maintenance</h2>');
    expect(html).toContain("Database upgrade &lt;b&gt;now&lt;/b&gt;");
    expect(html).not.toContain("<b>now</b>");
    expect(html).toMatch(/○<\/span> Scheduled<\/strong> — <time datetime="2026-12-05T01:00:00.000Z">/);
    expect(html).toContain('<time datetime="2026-12-05T03:00:00.000Z">');
    expect(html).toContain("Affects: Scoring API</p>");
    expect(html).toMatch(/All systems operational/); // not started: nothing is under maintenance yet

    const s = await summary();
    expect(s.status).toEqual({ indicator: "none", description: "All Systems Operational" });
    expect(s.components.map((c: any) => c.status)).toEqual(["operational", "operational"]);
    expect(s.scheduled_maintenances).toHaveLength(1);
    const m = s.scheduled_maintenances[0];
    expect(m).toMatchObject({
      name: "Database upgrade <b>now</b>",
      status: "scheduled",
      impact: "maintenance",
      scheduled_for: "2026-12-05T01:00:00.000Z",
      scheduled_until: "2026-12-05T03:00:00.000Z",
      started_at: null,
      resolved_at: null,
      components: [{ id: "api", name: "Scoring API", status: "operational" }],
    });
    expect(m.id).toMatch(/^[0-9a-f]{12}$/);
    expect(m.incident_updates.map((u: any) => u.status)).toEqual(["scheduled"]);
    expect(m.incident_updates[0].body).toContain("2026-12-05 01:00 to 2026-12-05 03:00 UTC");
    expect(typeof m.created_at).toBe("string");

    const atom = await get("/status/history.atom");
    expect(atom).toContain("Maintenance scheduled: Database upgrade &lt;b&gt;now&lt;/b&gt;");

    const remote = await eventually(() => [...sp.incidents.values()].find((i) => i.status === "scheduled"), 20_000, "mirrored");
    expect(remote).toMatchObject({
      name: "Database upgrade <b>now</b>",
      impact: "maintenance",
      scheduled_for: "2026-12-05T01:00:00.000Z",
      scheduled_until: "2026-12-05T03:00:00.000Z",
      scheduled_auto_in_progress: true,
      scheduled_auto_completed: true,
      auto_transition_to_maintenance_state: true,
      auto_transition_to_operational_state: true,
    });
    expect(remote.components.map((c) => c.id)).toEqual(["cmpapi"]);
    await jobsDrained(h, 20_000);
    expect(sp.calls.filter((c) => c.method === "POST" && c.status === 201)).toHaveLength(1);
    expect(sp.calls.every((c) => c.authorization === "OAuth sp-key-m")).toBe(true);
    const row = await h.db.prisma.statusMaintenance.findUniqueOrThrow({ where: { id: dbUpgrade } });
    expect(row.remoteId).toBe(remote.id);
    expect(row.publishedBy).toBe("UMAINT1");

    const list = await runCommand(h, "/incident", "maintenance list", as);
    expect(list.text).toContain(`#${dbUpgrade} Database upgrade`);
    expect(list.text).toMatch(/Scheduled, 2026-12-05 02:00 to 2026-12-05 04:00 Europe\/Berlin/);
  });

  it("during the window its components show Under maintenance; complete ends it and it stays in the history", async () => {
    const early = await runCommand(h, "/incident", `maintenance complete ${dbUpgrade}`, as);
    expect(early.text).toMatch(/has not started; cancel it instead/);

    clock.set("2026-12-05T01:30:00Z");
    const html = await eventually(
      async () => {
        const t = await get("/status");
        return t.includes("In progress</strong>") ? t : undefined;
      },
      10_000,
      "in progress on the page",
    );
    expect(html).toMatch(/Scoring API<\/span><span class="info"><span aria-hidden="true">⚙<\/span> Under maintenance<\/span>/);
    expect(html).toMatch(/Lead scores in the CRM<\/span><span class="ok"><span aria-hidden="true">✓<\/span> Operational<\/span>/);
    expect(html).toMatch(/<strong><span aria-hidden="true">⚙<\/span> Under maintenance<\/strong>/); // the overall status
    const s = await summary();
    expect(s.status).toEqual({ indicator: "maintenance", description: "Service Under Maintenance" });
    expect(s.components).toEqual([
      { id: "api", name: "Scoring API", status: "under_maintenance" },
      { id: "scores", name: "Lead scores in the CRM", status: "operational" },
    ]);
    expect(s.scheduled_maintenances[0].status).toBe("in_progress");
    expect(s.scheduled_maintenances[0].started_at).toBe("2026-12-05T01:00:00.000Z");
    expect(s.scheduled_maintenances[0].incident_updates.map((u: any) => u.status)).toEqual(["in_progress", "scheduled"]);

    clock.set("2026-12-05T02:10:00Z");
    const done = await runCommand(h, "/incident", `maintenance complete #${dbUpgrade}`, { userId: "UMAINT2", channelId: "CGENERAL" });
    expect(done.text).toMatch(/is completed; its components are back to operational/);
    const after = await get("/status"); // the command waited for the page: no delay for whoever ended it
    expect(after).not.toContain('<h2 id="maintenance">');
    expect(after).toContain('<h2 id="completed-maintenance">Completed maintenance</h2>');
    expect(after).toMatch(/✓<\/span> Completed<\/strong>/);
    expect(after).toContain('Completed <time datetime="2026-12-05T02:10:00.000Z">');
    expect(after).toMatch(/All systems operational/);
    expect(after).toMatch(/Scoring API<\/strong>: affected on 1 of the past 90 days \(worst: under maintenance\)/);
    expect(after).toMatch(/Lead scores in the CRM<\/strong>: no incidents in the past 90 days/);
    const s2 = await summary();
    expect(s2.scheduled_maintenances).toEqual([]);
    expect(s2.components.map((c: any) => c.status)).toEqual(["operational", "operational"]);
    const atom = await get("/status/history.atom");
    expect(atom).toContain("Maintenance in progress: Database upgrade");
    expect(atom).toContain("Maintenance completed: Database upgrade");

    const again = await runCommand(h, "/incident", `maintenance complete ${dbUpgrade}`, as);
    expect(again.text).toMatch(/already completed/);
    const remote = [...sp.incidents.values()][0]!;
    await eventually(() => remote.status === "completed", 20_000, "completed on Statuspage");
    await jobsDrained(h, 20_000);
    expect(sp.incidents.size).toBe(1);
    expect(sp.calls.filter((c) => c.method === "POST" && c.status === 201)).toHaveLength(1);
  });

  it("cancel takes an upcoming one off the page (and off Statuspage); one whose window passes completes by itself", async () => {
    const net = await schedule('2026-12-10 22:00 until 2026-12-11 01:00 "Network maintenance"');
    expect(JSON.stringify(net.reply.body.blocks)).toContain("Scoring API (`api`), Lead scores in the CRM (`scores`)"); // default: every component
    await clickPublish(net.id);
    expect(await get("/status")).toContain("Network maintenance");
    await eventually(() => [...sp.incidents.values()].find((i) => i.name === "Network maintenance"), 20_000, "mirrored");
    const cancelled = await runCommand(h, "/incident", `maintenance cancel ${net.id}`, as);
    expect(cancelled.text).toMatch(/cancelled and off the status page/);
    expect(await get("/status")).not.toContain("Network maintenance");
    expect((await summary()).scheduled_maintenances).toEqual([]);
    await eventually(() => ![...sp.incidents.values()].some((i) => i.name === "Network maintenance"), 20_000, "deleted on Statuspage");
    expect(sp.calls.filter((c) => c.method === "DELETE" && c.status === 200)).toHaveLength(1);
    expect((await runCommand(h, "/incident", `maintenance cancel ${net.id}`, as)).text).toMatch(/already cancelled/);

    const flush = await schedule('2026-12-06 03:00 for 30m "Cache flush" components scores');
    await clickPublish(flush.id);
    expect((await summary()).scheduled_maintenances.map((m: any) => m.name)).toEqual(["Cache flush"]);
    clock.set("2026-12-06T03:00:00Z"); // its window (02:00–02:30 UTC) is over
    await eventually(async () => (await summary()).scheduled_maintenances.length === 0, 10_000, "completed by the clock");
    const html = await get("/status");
    expect(html.indexOf("Cache flush")).toBeGreaterThan(html.indexOf('<h2 id="completed-maintenance">'));
    expect(html).toMatch(/Lead scores in the CRM<\/strong>: affected on 1 of the past 90 days \(worst: under maintenance\)/);
    const list = await runCommand(h, "/incident", "maintenance list", as);
    expect(list.text).toMatch(/No upcoming or in-progress maintenance/);
  });

  it("no /status response carries who scheduled it or the internal numbers", async () => {
    const drafted = await schedule('2026-12-20 01:00 for 1h "Unpublished draft"'); // never published
    expect(drafted.id).toMatch(/^\d+$/);
    const pid = (await summary()).scheduled_maintenances.map((m: any) => m.id);
    for (const path of ["/status", "/status/summary.json", "/status/history.atom", ...pid.map((p: string) => `/status/incidents/${p}`)]) {
      const body = await get(path);
      for (const secret of ["UMAINT1", "UMAINT2", "Unpublished draft", `maintenance #${dbUpgrade}`, "sp-key-m", "cmpapi"]) {
        expect(body, `${path} carries ${secret}`).not.toContain(secret);
      }
    }
  });
});
