// Server-rendered HTML for the web view: every value goes through `esc`, pages work without JavaScript, and the
// only script is the stats page's chart code (served from the bot, CSP script-src 'self').
import { localMinute } from "../text/local-time.js";

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A trusted HTML fragment (already escaped); `html` joins fragments and escapes plain values. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === null || v === undefined || v === false) return "";
  return esc(v);
}

export interface Viewer {
  userId: string;
  userName: string | null;
  csrfToken: string;
}

const NAV: [string, string][] = [
  ["/app/incidents", "Incidents"],
  ["/app/gates", "Gates"],
  ["/app/stats", "Stats"],
];

/** The page frame: skip link, navigation, signed-in user with the sign-out form (CSRF token), one main landmark. */
export function layout(opts: { title: string; viewer: Viewer; current: string; body: Html; scripts?: string[] }): string {
  const nav = NAV.map(([href, label]) =>
    opts.current === href ? html`<a href="${href}" aria-current="page">${label}</a>` : html`<a href="${href}">${label}</a>`,
  );
  const scripts = (opts.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · Incident bot</title>
        <link rel="stylesheet" href="/app/assets/app.css" />
        ${scripts}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
          <nav aria-label="Main">${nav}</nav>
          <form method="post" action="/app/logout" class="signout">
            <input type="hidden" name="csrf" value="${opts.viewer.csrfToken}" />
            <span>Signed in as ${opts.viewer.userName ?? opts.viewer.userId}</span>
            <button type="submit">Sign out</button>
          </form>
        </header>
        <main id="main">${opts.body}</main>
      </body>
    </html> `.text;
}

/** A page without the signed-in frame (sign-in errors). */
export function bareLayout(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · Incident bot</title>
        <link rel="stylesheet" href="/app/assets/app.css" />
      </head>
      <body>
        <main id="main">${body}</main>
      </body>
    </html> `.text;
}

/** A time in the configured zone, e.g. "2026-11-23 09:10 UTC"; empty for none. */
export function when(d: Date | null | undefined, timeZone: string): string {
  return d ? localMinute(d, timeZone, true) : "";
}

/** A duration in words: "4 min", "2 h 5 min", "3 d 2 h". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export const CSS = `
:root{color-scheme:light;--fg:#1d1d1f;--muted:#4a4a4f;--line:#c9c9cf;--bg:#fff;--accent:#0b57d0;--bad:#a4161a;--good:#1b6b2c}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
a:focus,button:focus,select:focus,input:focus{outline:3px solid #f2a900;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;padding:8px 16px;border-bottom:1px solid var(--line)}
nav{display:flex;flex-wrap:wrap;gap:12px}
nav a[aria-current=page]{font-weight:700;text-decoration:none;color:var(--fg)}
.signout{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0}
main{padding:8px 16px 32px;max-width:1100px}
h1{font-size:1.5rem;margin:.5em 0;overflow-wrap:anywhere}h2{font-size:1.2rem;margin:1.2em 0 .4em}
p,li,dd{overflow-wrap:anywhere}td,th{overflow-wrap:break-word}
button{font:inherit;padding:4px 12px;border:1px solid var(--muted);background:#f4f4f6;color:var(--fg);border-radius:4px;cursor:pointer}
select,input{font:inherit;padding:2px 4px;max-width:100%}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end;margin:8px 0}
.filters label{display:flex;flex-direction:column;font-size:.9rem}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{font-weight:600}
caption{text-align:left;font-weight:600;padding:4px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.missed{color:var(--bad);font-weight:600}.met{color:var(--good);font-weight:600}
.muted{color:var(--muted)}
pre.review{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f8;padding:8px;border:1px solid var(--line)}
.chart{position:relative;width:100%;max-width:720px;height:260px;margin:8px 0 24px;overflow:hidden}
.chart canvas{max-width:100%}
@media (max-width:480px){body{font-size:15px}main{padding:8px}th,td{padding:4px}dl.facts{grid-template-columns:1fr}}
`;

/**
 * A data table as every page draws it: scrollable on a narrow screen (and reachable by keyboard), a caption for
 * screen readers, column headers, then the rows (`<tr>` fragments).
 */
export function dataTable(caption: unknown, headers: readonly unknown[], rows: unknown, id?: string): Html {
  return html`<div class="table-wrap" tabindex="0">
    <table${id ? html` id="${id}"` : ""}>
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${headers.map((h) => html`<th scope="col">${h}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
