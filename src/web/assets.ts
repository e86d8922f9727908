import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CSS } from "./html.js";

const require = createRequire(import.meta.url);

/** Draws the four charts from the page's JSON block; the tables beside them carry the same numbers. */
const STATS_JS = `"use strict";
(function () {
  var el = document.getElementById("stats-data");
  if (!el || typeof Chart === "undefined") return;
  var d = JSON.parse(el.textContent || "{}");
  var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: true } } };
  function draw(id, config) { var c = document.getElementById(id); if (c) new Chart(c, config); }
  draw("chart-weekly", { type: "line", data: { labels: d.weekly.labels, datasets: [
    { label: "MTTA (min)", data: d.weekly.mtta, borderColor: "#0b57d0", backgroundColor: "#0b57d0", spanGaps: true },
    { label: "MTTR (min)", data: d.weekly.mttr, borderColor: "#a4161a", backgroundColor: "#a4161a", spanGaps: true },
    { label: "Time to mitigate (min)", data: d.weekly.mitigate, borderColor: "#1b6b2c", backgroundColor: "#1b6b2c", spanGaps: true }
  ] }, options: common });
  function bars(id, series, label, color) {
    draw(id, { type: "bar", data: { labels: series.labels, datasets: [{ label: label, data: series.values, backgroundColor: color }] },
      options: Object.assign({}, common, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }) });
  }
  bars("chart-breaches", d.breaches, "Missed clocks", "#a4161a");
  bars("chart-category", d.category, "Incidents", "#0b57d0");
  bars("chart-severity", d.severity, "Incidents", "#5b3f99");
})();
`;

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const asset = (body: string | Buffer, type: string): Asset => {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return { body: buf, type, etag: `"${createHash("sha256").update(buf).digest("base64url").slice(0, 22)}"` };
};

let cache: Map<string, Asset> | undefined;

/** /app/assets/<name>: our stylesheet and chart script, and chart.js's own UMD build from node_modules (no CDN). */
export function webAssets(): Map<string, Asset> {
  if (!cache) {
    const chartDir = dirname(require.resolve("chart.js"));
    cache = new Map([
      ["app.css", asset(CSS, "text/css; charset=utf-8")],
      ["stats.js", asset(STATS_JS, "text/javascript; charset=utf-8")],
      ["chart.umd.min.js", asset(readFileSync(join(chartDir, "chart.umd.min.js")), "text/javascript; charset=utf-8")],
    ]);
  }
  return cache;
}
