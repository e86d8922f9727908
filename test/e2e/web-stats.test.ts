import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { evaluateClocks } from "../../src/clocks/evaluate-clocks.js";
import { acknowledgeIncident } from "../../src/incidents/acknowledge-incident.js";
import { declareIncident } from "../../src/incidents/declare-incident.js";
import { setStatus } from "../../src/incidents/set-status.js";
import { type Harness, jobsDrained } from "../helpers/harness.js";
import { dbKinds } from "../helpers/test-db.js";
import { get, signIn, startWebHarness } from "../helpers/web.js";

const kinds = await dbKinds();
const LEAD = "U0STATSLD";

describe.each(kinds)("web view stats (%s)", (kind) => {
  let h: Harness;
  let session: string;
  const clock = new ManualClock(new Date("2026-06-01T09:00:00Z"));

  /** Declares at `at`, then acknowledges / mitigates / resolves that many minutes after declaring. */
  async function incident(
    at: string,
    severity: "P1" | "P2",
    category: "model" | "data",
    m: { ack?: number; mitigate?: number; resolve?: number },
  ) {
    const ctx = h.app.ctx;
    clock.set(at);
    const { incident: inc } = await declareIncident(ctx, { title: `stats ${at}`, severity, category, declaredBy: LEAD, source: "command" });
    const t0 = clock.now().getTime();
    const step = async (minutes: number | undefined, fn: () => Promise<unknown>) => {
      if (minutes === undefined) return;
      clock.set(new Date(t0 + minutes * 60_000));
      await fn();
    };
    await step(m.ack, () => acknowledgeIncident(ctx, inc.id, LEAD));
    await step(m.mitigate, () => setStatus(ctx, inc.id, LEAD, "mitigated"));
    await step(m.resolve, () => setStatus(ctx, inc.id, LEAD, "resolved", "fixed"));
  }

  beforeAll(async () => {
    h = await startWebHarness(kind, { clock });
    await incident("2026-06-01T09:00:00Z", "P1", "model", { ack: 1, resolve: 5 }); // outside the 90 days
    await incident("2026-11-10T09:00:00Z", "P2", "data", { ack: 10, resolve: 120 });
    await incident("2026-11-20T09:00:00Z", "P1", "model", { ack: 6, mitigate: 12, resolve: 60 });
    await incident("2026-11-21T09:00:00Z", "P1", "model", { ack: 4, mitigate: 8, resolve: 30 });
    // Slack's id_token carries real times (iat/exp), so the sign-in happens at the real time; the stats at a fixed one.
    clock.set(new Date());
    session = (await signIn(h, { userId: LEAD })).session!;
    clock.set("2026-11-23T12:00:00Z");
    // Settle the clocks at the stats' time now, so the background sweep has nothing left to mark while the
    // test compares the page's breach counts with the rows (the counts are cached for a few seconds).
    await evaluateClocks(h.app.ctx);
    await jobsDrained(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  const csvRows = async () => {
    const r = await get(`${h.appUrl}/app/stats?format=csv`, session);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toContain("incident-stats.csv");
    const [head, ...rows] = r.text
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    expect(head).toEqual(["series", "label", "value"]);
    return rows as [string, string, string][];
  };

  it("?format=csv has 13 weekly points per series with the means from detection, and the window's counts", async () => {
    const rows = await csvRows();
    const series = (name: string) => rows.filter((r) => r[0] === name);
    for (const s of ["incidents_per_week", "mtta_minutes", "mttr_minutes", "time_to_mitigate_minutes"]) expect(series(s)).toHaveLength(13);
    // The newest week (starting 2026-11-16 12:00): the two P1s — MTTA (6+4)/2, MTTR (60+30)/2, mitigate (12+8)/2.
    expect(series("incidents_per_week").at(-1)).toEqual(["incidents_per_week", "2026-11-16", "2"]);
    expect(series("mtta_minutes").at(-1)![2]).toBe("5");
    expect(series("mttr_minutes").at(-1)![2]).toBe("45");
    expect(series("time_to_mitigate_minutes").at(-1)![2]).toBe("10");
    // The week before: the data incident (resolving it also mitigated it); the week before that had none (empty, not zero).
    expect(series("mtta_minutes").at(-2)).toEqual(["mtta_minutes", "2026-11-09", "10"]);
    expect(series("mttr_minutes").at(-2)![2]).toBe("120");
    expect(series("time_to_mitigate_minutes").at(-2)![2]).toBe("120");
    expect(series("mtta_minutes").at(-3)).toEqual(["mtta_minutes", "2026-11-02", ""]);
    expect(series("incidents_per_week").at(-3)![2]).toBe("0");
    // The oldest week starts at the 90-day edge; the June incident is outside.
    expect(series("incidents_per_week")[0]![1]).toBe("2026-08-25");
    expect(series("incidents_per_week").reduce((n, r) => n + Number(r[2]), 0)).toBe(3);
    expect(series("incidents_by_category")).toEqual([
      ["incidents_by_category", "data", "1"],
      ["incidents_by_category", "model", "2"],
    ]);
    expect(series("incidents_by_severity")).toEqual([
      ["incidents_by_severity", "P1", "2"],
      ["incidents_by_severity", "P2", "1"],
    ]);
    // Breaches: whatever the clock evaluator marked on the window's incidents, counted per clock.
    const missed = await h.db.prisma.clock.findMany({
      where: { incident: { declaredAt: { gte: new Date("2026-08-25T12:00:00Z") } }, OR: [{ breached: true }, { nudgedAt: { not: null } }] },
    });
    expect(series("clock_breaches").reduce((n, r) => n + Number(r[2]), 0)).toBe(missed.length);
  });

  it("the page draws from the same numbers, with tables for screen readers, and serves chart.js itself", async () => {
    const r = await get(`${h.appUrl}/app/stats`, session);
    expect(r.status).toBe(200);
    const json = /<script type="application\/json" id="stats-data">(.*?)<\/script>/s.exec(r.text)![1]!;
    const data = JSON.parse(json);
    expect(data.weekly.labels).toHaveLength(13);
    expect(data.weekly.mtta.at(-1)).toBe(5);
    expect(data.category).toEqual({ labels: ["data", "model"], values: [1, 2] });
    expect(r.text).toContain('<script src="/app/assets/chart.umd.min.js" defer></script>');
    expect(r.text.match(/<table id="table-weekly">.*?<\/table>/s)![0].match(/<tr>/g)).toHaveLength(14); // head + 13 weeks
    const chart = await get(`${h.appUrl}/app/assets/chart.umd.min.js`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(chart.text).toContain("Chart.js v4");
    expect(
      (await get(`${h.appUrl}/app/assets/chart.umd.min.js`, undefined, { headers: { "if-none-match": chart.headers.get("etag")! } }))
        .status,
    ).toBe(304);
    expect((await get(`${h.appUrl}/app/assets/nope.js`)).status).toBe(404);
    expect((await get(`${h.appUrl}/app/stats?format=xml`, session)).status).toBe(400);
  });

  it("signed out, the stats (and their CSV) redirect to sign-in", async () => {
    const r = await get(`${h.appUrl}/app/stats?format=csv`);
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/app/login?next=${encodeURIComponent("/app/stats?format=csv")}`);
  });
});
