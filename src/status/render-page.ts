import {
  HISTORY_DAYS,
  worse,
  type ComponentStatus,
  type PublicIncident,
  type PublicIncidentStatus,
  type PublicMaintenance,
  type PublicPage,
} from "./public-status.js";
import type { MaintenanceStatus } from "./maintenance.js";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// Icon + words for every status, so colour is never the only signal.
const COMPONENT_LABEL: Record<ComponentStatus, { icon: string; text: string; cls: string }> = {
  operational: { icon: "✓", text: "Operational", cls: "ok" },
  degraded_performance: { icon: "!", text: "Degraded performance", cls: "warn" },
  partial_outage: { icon: "!", text: "Partial outage", cls: "warn" },
  major_outage: { icon: "✕", text: "Major outage", cls: "bad" },
  under_maintenance: { icon: "⚙", text: "Under maintenance", cls: "info" },
};
const INCIDENT_LABEL: Record<PublicIncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};

// AA contrast in both schemes (text on background ≥ 4.5:1); no external fonts.
const CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--muted:#4a4a4a;--line:#d0d0d0;--ok:#0b6b2f;--warn:#8a4b00;--bad:#a8071a;--info:#0b4f8a;--none:#e4e4e4}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#f0f0f0;--muted:#c4c4c4;--line:#444;--ok:#5fd38a;--warn:#ffb454;--bad:#ff7b7b;--info:#7cc0ff;--none:#333}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
header,main,footer{max-width:48rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.2rem;margin-top:2rem}
a{color:var(--info)}ul{list-style:none;padding:0;margin:0}li.c{display:flex;justify-content:space-between;flex-wrap:wrap;gap:.5rem;padding:.6rem 0;border-bottom:1px solid var(--line)}
.ok{color:var(--ok)}.warn{color:var(--warn)}.bad{color:var(--bad)}.info{color:var(--info)}.muted{color:var(--muted)}
article{border:1px solid var(--line);border-radius:6px;padding:.8rem;margin:.8rem 0;overflow-wrap:anywhere}article h2,article h3{margin:0 0 .4rem;font-size:1.05rem}
.u{margin:.5rem 0}.u p{margin:.2rem 0;white-space:pre-wrap}time{color:var(--muted);font-size:.9rem}
.bars{display:flex;gap:1px;height:2rem;margin:.5rem 0}.bars span{flex:1;min-width:1px;background:var(--ok)}.bars span.i{background:var(--warn)}.bars span.o{background:var(--bad)}.bars span.m{background:var(--info)}.h li{margin:.6rem 0}.h p{margin:0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;

function when(d: Date): string {
  return `<time datetime="${d.toISOString()}">${escapeHtml(d.toISOString().slice(0, 16).replace("T", " "))} UTC</time>`;
}

function incidentArticle(inc: PublicIncident, link: boolean, level: 2 | 3 = 3): string {
  const name = escapeHtml(inc.name);
  const heading = link ? `<a href="/status/incidents/${escapeHtml(inc.id)}">${name}</a>` : name;
  const updates = inc.updates
    .map((u) => `<div class="u"><strong>${INCIDENT_LABEL[u.status]}</strong> — ${when(u.at)}<p>${escapeHtml(u.body)}</p></div>`)
    .join("");
  // Under the page's h2 sections an incident is an h3; alone on its own page it is the h2 (headings never skip a level).
  return `<article><h${level}>${heading}</h${level}><p class="muted">Status: ${INCIDENT_LABEL[inc.status]}</p>${updates}</article>`;
}

export const MAINTENANCE_LABEL: Record<MaintenanceStatus, { icon: string; text: string }> = {
  scheduled: { icon: "○", text: "Scheduled" },
  in_progress: { icon: "⚙", text: "In progress" },
  completed: { icon: "✓", text: "Completed" },
};

function maintenanceArticle(page: PublicPage, m: PublicMaintenance): string {
  const names = page.components.filter((c) => m.components.includes(c.id)).map((c) => escapeHtml(c.name));
  const l = MAINTENANCE_LABEL[m.status];
  return (
    `<article id="maintenance-${escapeHtml(m.id)}"><h3>${escapeHtml(m.name)}</h3>` +
    `<p><strong><span aria-hidden="true">${l.icon}</span> ${l.text}</strong> — ${when(m.scheduledFor)} to ${when(m.scheduledUntil)}</p>` +
    (names.length ? `<p class="muted">Affects: ${names.join(", ")}</p>` : "") +
    (m.status === "completed" && m.endedAt ? `<p class="muted">Completed ${when(m.endedAt)}</p>` : "") +
    `</article>`
  );
}

function overall(page: PublicPage): { text: string; cls: string; icon: string } {
  const status = page.components.reduce<ComponentStatus>((w, c) => worse(w, c.status), "operational");
  const worst = status === "operational" ? undefined : { status };
  if (!worst && page.active.length === 0) return { text: "All systems operational", cls: "ok", icon: "✓" };
  const label = COMPONENT_LABEL[worst?.status ?? "degraded_performance"];
  return { text: label.text === "Operational" ? "Some systems are affected" : label.text, cls: label.cls, icon: label.icon };
}

const DAY_CLASS: Record<ComponentStatus, string> = {
  operational: "",
  under_maintenance: ' class="m"',
  degraded_performance: ' class="i"',
  partial_outage: ' class="i"',
  major_outage: ' class="o"',
};

function historyBars(page: PublicPage): string {
  const rows = page.components
    .map((c) => {
      const affected = c.days.filter((d) => d !== "operational");
      const worst = affected.reduce<ComponentStatus>((w, d) => worse(w, d), "operational");
      const spans = c.days.map((d) => `<span${DAY_CLASS[d]}></span>`).join("");
      // The bars are decoration; the sentence beside them says the same in words.
      const words =
        affected.length === 0
          ? `no incidents in the past ${HISTORY_DAYS} days`
          : `affected on ${affected.length} of the past ${HISTORY_DAYS} days (worst: ${COMPONENT_LABEL[worst].text.toLowerCase()})`;
      return `<li><p><strong>${escapeHtml(c.name)}</strong>: ${words}</p><div class="bars" aria-hidden="true">${spans}</div></li>`;
    })
    .join("");
  const days = new Set<number>();
  for (const c of page.components) c.days.forEach((d, i) => d !== "operational" && days.add(i));
  return (
    `<h2 id="history">Past ${HISTORY_DAYS} days</h2>` +
    `<p>${days.size === 0 ? `No incidents in the past ${HISTORY_DAYS} days.` : `Incidents on ${days.size} of the past ${HISTORY_DAYS} days.`}</p>` +
    `<ul class="h">${rows}</ul>`
  );
}

function shell(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1></header><main>${body}</main>` +
    `<footer class="muted"><p><a href="/status">Status home</a> · <a href="/status/history.atom">Atom feed of updates</a> · ` +
    `<a href="/status/summary.json">JSON</a></p></footer></body></html>`
  );
}

export function renderStatusPage(page: PublicPage): string {
  const o = overall(page);
  const components = page.components
    .map((c) => {
      const l = COMPONENT_LABEL[c.status];
      const about = [c.group, c.description]
        .filter(Boolean)
        .map((t) => escapeHtml(t!))
        .join(" · ");
      return (
        `<li class="c"><span>${escapeHtml(c.name)}${about ? `<br><small class="muted">${about}</small>` : ""}</span>` +
        `<span class="${l.cls}"><span aria-hidden="true">${l.icon}</span> ${l.text}</span></li>`
      );
    })
    .join("");
  const active = page.active.length ? page.active.map((i) => incidentArticle(i, true)).join("") : `<p>No active incidents.</p>`;
  const open = page.maintenance.filter((m) => m.status !== "completed");
  const done = page.maintenance.filter((m) => m.status === "completed").reverse();
  const maintenance = open.length
    ? `<section aria-labelledby="maintenance"><h2 id="maintenance">Scheduled maintenance</h2>${open.map((m) => maintenanceArticle(page, m)).join("")}</section>`
    : "";
  const doneHtml = done.length
    ? `<section aria-labelledby="completed-maintenance"><h2 id="completed-maintenance">Completed maintenance</h2>${done.map((m) => maintenanceArticle(page, m)).join("")}</section>`
    : "";
  const past = page.recent.filter((i) => i.status === "resolved");
  const pastHtml = past.length ? past.map((i) => incidentArticle(i, true)).join("") : `<p>No resolved incidents.</p>`;
  return shell(
    page.title,
    `<p class="${o.cls}"><strong><span aria-hidden="true">${o.icon}</span> ${o.text}</strong></p>` +
      `<section aria-labelledby="components"><h2 id="components">Components</h2><ul>${components}</ul></section>` +
      `<section aria-labelledby="active"><h2 id="active">Active incidents</h2>${active}</section>` +
      maintenance +
      `<section aria-labelledby="history">${historyBars(page)}</section>` +
      `<section aria-labelledby="resolved"><h2 id="resolved">Resolved incidents</h2>${pastHtml}</section>` +
      doneHtml,
  );
}

export function renderIncidentPage(page: PublicPage, inc: PublicIncident): string {
  return shell(`${inc.name} — ${page.title}`, incidentArticle(inc, false, 2));
}
