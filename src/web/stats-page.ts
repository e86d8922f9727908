// /app/stats: MTTA, MTTR and time to mitigate per week over the last 90 days, clock breaches by clock,
// incidents by category and severity, from loadStatsRows (the same rows as /incident stats); the weekly
// series reuse computeStats' definitions (detection → acknowledgement / resolution / mitigation).
import { CLOCK_LABELS, type ClockKind } from "../clocks/kinds.js";
import type { AppContext } from "../context.js";
import { computeStats, type Duration } from "../incidents/compute-stats.js";
import { loadStatsRows } from "../incidents/load-stats.js";
import { dataTable, Html, html, layout, type Viewer } from "./html.js";

const DAY_MS = 86_400_000;
export const WINDOW_DAYS = 90;
export const WEEKS = 13;

export interface WebStats {
  from: Date;
  to: Date;
  total: number;
  weeks: { start: Date; incidents: number; mttaMin: number | null; mttrMin: number | null; mitigateMin: number | null }[];
  byCategory: [string, number][];
  bySeverity: [string, number][];
  breachesByClock: [string, number][];
}

const minutes = (d: Duration) => (d.meanSeconds === null ? null : Math.round((d.meanSeconds / 60) * 10) / 10);
const sorted = (r: Record<string, number>) => Object.entries(r).sort((a, b) => a[0].localeCompare(b[0]));

export async function loadWebStats(ctx: AppContext): Promise<WebStats> {
  const now = ctx.clock.now();
  const from = new Date(now.getTime() - WINDOW_DAYS * DAY_MS);
  const { incidents, clocks } = await loadStatsRows(ctx, from, now);
  const total = computeStats("90d", now, incidents, clocks);
  const weeks: WebStats["weeks"] = [];
  for (let k = WEEKS - 1; k >= 0; k--) {
    const end = new Date(now.getTime() - k * 7 * DAY_MS);
    // The oldest week is clipped to the 90-day window (91 days would be 13 whole weeks).
    const w = computeStats("7d", end, incidents, clocks);
    const start = w.from < from ? from : w.from;
    const inBucket = k === WEEKS - 1 ? incidents.filter((i) => i.declaredAt >= from && i.declaredAt <= end) : undefined;
    weeks.push({
      start,
      incidents: inBucket ? inBucket.length : w.total,
      mttaMin: minutes(w.mtta),
      mttrMin: minutes(w.mttr),
      mitigateMin: minutes(w.timeToMitigate),
    });
  }
  return {
    from,
    to: now,
    total: total.total,
    weeks,
    byCategory: sorted(total.byCategory),
    bySeverity: sorted(total.bySeverity),
    breachesByClock: sorted(total.breachesByClock).map(([k, n]) => [CLOCK_LABELS[k as ClockKind] ?? k, n]),
  };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const num = (n: number | null) => (n === null ? "—" : String(n));

/** The same numbers as the charts, as CSV (one row per series point). */
export function statsCsv(s: WebStats): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [["series", "label", "value"]];
  for (const w of s.weeks) {
    rows.push(["incidents_per_week", day(w.start), String(w.incidents)]);
    rows.push(["mtta_minutes", day(w.start), w.mttaMin === null ? "" : String(w.mttaMin)]);
    rows.push(["mttr_minutes", day(w.start), w.mttrMin === null ? "" : String(w.mttrMin)]);
    rows.push(["time_to_mitigate_minutes", day(w.start), w.mitigateMin === null ? "" : String(w.mitigateMin)]);
  }
  for (const [k, n] of s.breachesByClock) rows.push(["clock_breaches", k, String(n)]);
  for (const [k, n] of s.byCategory) rows.push(["incidents_by_category", k, String(n)]);
  for (const [k, n] of s.bySeverity) rows.push(["incidents_by_severity", k, String(n)]);
  return rows.map((r) => r.map(q).join(",")).join("\r\n") + "\r\n";
}

/** Chart data for stats.js, embedded as JSON (not executed; `<` escaped so it cannot close the script element). */
function chartData(s: WebStats): string {
  const data = {
    weekly: {
      labels: s.weeks.map((w) => day(w.start)),
      mtta: s.weeks.map((w) => w.mttaMin),
      mttr: s.weeks.map((w) => w.mttrMin),
      mitigate: s.weeks.map((w) => w.mitigateMin),
    },
    breaches: { labels: s.breachesByClock.map((x) => x[0]), values: s.breachesByClock.map((x) => x[1]) },
    category: { labels: s.byCategory.map((x) => x[0]), values: s.byCategory.map((x) => x[1]) },
    severity: { labels: s.bySeverity.map((x) => x[0]), values: s.bySeverity.map((x) => x[1]) },
  };
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

function countTable(id: string, caption: string, head: string, rows: [string, number][]) {
  return dataTable(
    caption,
    [head, "Count"],
    rows.length
      ? rows.map(
          ([k, n]) =>
            html`<tr>
              <td>${k}</td>
              <td>${n}</td>
            </tr>`,
        )
      : html`<tr>
          <td colspan="2">none</td>
        </tr>`,
    id,
  );
}

/** The page's main part, the same for every viewer (the route keeps it with the numbers). */
export function statsBody(s: WebStats): Html {
  const canvas = (id: string, label: string) =>
    html`<div class="chart"><canvas id="${id}" role="img" aria-label="${label}"></canvas></div>`;
  return html`<h1>Incident statistics</h1>
    <p>
      The last ${WINDOW_DAYS} days (${day(s.from)} to ${day(s.to)}): ${s.total} incident${s.total === 1 ? "" : "s"}.
      <a href="/app/stats?format=csv" download="incident-stats.csv">Download CSV</a>
    </p>
    <h2 id="weekly-h">Response times per week</h2>
    ${canvas("chart-weekly", "Line chart of mean time to acknowledge, resolve and mitigate per week, in minutes; the table below has the numbers")}
    ${dataTable(
      "Mean minutes from detection, per week (week starting)",
      ["Week", "Incidents", "MTTA", "MTTR", "Time to mitigate"],
      s.weeks.map(
        (w) =>
          html`<tr>
            <td>${day(w.start)}</td>
            <td>${w.incidents}</td>
            <td>${num(w.mttaMin)}</td>
            <td>${num(w.mttrMin)}</td>
            <td>${num(w.mitigateMin)}</td>
          </tr>`,
      ),
      "table-weekly",
    )}
    <h2>Clock breaches by clock</h2>
    ${canvas("chart-breaches", "Bar chart of missed clocks by clock; the table below has the numbers")}
    ${countTable("table-breaches", "Clocks that missed their target", "Clock", s.breachesByClock)}
    <h2>Incidents by category</h2>
    ${canvas("chart-category", "Bar chart of incidents by category; the table below has the numbers")}
    ${countTable("table-category", "Incidents by category", "Category", s.byCategory)}
    <h2>Incidents by severity</h2>
    ${canvas("chart-severity", "Bar chart of incidents by severity; the table below has the numbers")}
    ${countTable("table-severity", "Incidents by severity", "Severity", s.bySeverity)}
    <script type="application/json" id="stats-data">
      ${new Html(chartData(s))}
    </script>`;
}

export function renderStats(viewer: Viewer, body: Html): string {
  return layout({
    title: "Stats",
    viewer,
    current: "/app/stats",
    body,
    scripts: ["/app/assets/chart.umd.min.js", "/app/assets/stats.js"],
  });
}
