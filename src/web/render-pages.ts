// Pure renderers: (page data, viewer, time zone, now) → HTML. Every value is escaped by `html`.
import { CLOCK_LABELS, type ClockKind } from "../clocks/kinds.js";
import type { StoredGateEvent } from "../gates/gate-events.js";
import type { GateView } from "../gates/gate-view.js";
import { gateProgress, progressLine } from "../gates/progress.js";
import {
  CATEGORIES,
  cursorText,
  type GatePage,
  type IncidentCounts,
  type IncidentFilters,
  type IncidentListPage,
  type IncidentPage,
  type ListCursor,
  PAGE_SIZE,
  SEVERITIES,
  STATUSES,
} from "./load-pages.js";
import { incidentRef } from "../incidents/naming.js";
import { dataTable, duration, Html, html, layout, type Viewer, when } from "./html.js";

export interface PageEnv {
  viewer: Viewer;
  timeZone: string;
  now: Date;
  /** Link to a channel in Slack (slack://channel?team=…&id=…), when known. */
  channelLink: (channelId: string) => string;
}

const user = (id: string | null | undefined) => (id ? (id.startsWith("alert:") ? id : `@${id}`) : "—");

/** A checklist item's state cell: to do, done by whom and when, or N/A with its justification. */
type ItemState = { state: string; justification?: string | null; completedBy?: string | null; completedAt?: Date | null };
const itemState = (i: ItemState, env: PageEnv) =>
  i.state === "na"
    ? html`N/A: ${i.justification ?? ""}`
    : i.state === "done"
      ? html`done by ${user(i.completedBy)} ${when(i.completedAt, env.timeZone)}`
      : "to do";

function select(name: string, label: string, options: readonly string[], value: string | undefined, counts?: Record<string, number>): Html {
  const opts = options.map((o) => {
    const text = counts ? `${o} (${counts[o] ?? 0})` : o;
    return o === value ? html`<option value="${o}" selected>${text}</option>` : html`<option value="${o}">${text}</option>`;
  });
  return html`<label for="f-${name}"
    >${label}<select id="f-${name}" name="${name}">
      <option value="">any</option>
      ${opts}
    </select></label
  >`;
}

/** The list's address with these filters and this place: paging keeps the filters. */
export function listHref(f: IncidentFilters, place?: { before?: ListCursor; after?: ListCursor }): string {
  const q = new URLSearchParams();
  for (const k of ["severity", "status", "category", "model"] as const) if (f[k]) q.set(k, f[k]);
  if (place?.before) q.set("before", cursorText(place.before));
  if (place?.after) q.set("after", cursorText(place.after));
  const s = q.toString();
  return s ? `/app/incidents?${s}` : "/app/incidents";
}

/** The list's main part: the same for everyone who may see the same incidents (the route keeps it briefly). */
export function incidentListBody(
  timeZone: string,
  page: IncidentListPage,
  counts: IncidentCounts,
  f: IncidentFilters,
  models: string[],
): Html {
  const { rows } = page;
  const paging =
    page.newer || page.older
      ? html`<nav class="pages" aria-label="Pages of incidents">
          ${page.newer ? html`<a href="${listHref(f, { after: page.newer })}" rel="prev">← Newer</a>` : ""}
          ${page.older ? html`<a href="${listHref(f, { before: page.older })}" rel="next">Older →</a>` : ""}
        </nav>`
      : "";
  return html`<h1>Incidents</h1>
    <form method="get" action="/app/incidents" class="filters" aria-label="Filter incidents">
      ${select("severity", "Severity", SEVERITIES, f.severity, counts.severity)}
      ${select("status", "Status", ["open", ...STATUSES], f.status, counts.status)}
      ${select("category", "Category", CATEGORIES, f.category, counts.category)} ${select("model", "Model", models, f.model)}
      <button type="submit">Filter</button> <a href="/app/incidents">Clear</a>
    </form>
    <p id="list-count">
      ${counts.total} incident${counts.total === 1 ? "" : "s"}${counts.total > PAGE_SIZE ? `, ${PAGE_SIZE} a page` : ""}.
    </p>
    ${dataTable(
      "Incidents, newest first",
      ["Incident", "Title", "Severity", "Status", "Category", "Model / service", "Declared"],
      rows.map(
        (r) =>
          html`<tr>
            <td>
              <a href="/app/incidents/${incidentRef(r.id)}">${incidentRef(r.id)}</a
              >${r.isPrivate ? html` <span class="muted">(private)</span>` : ""}
            </td>
            <td>${r.title}</td>
            <td>${r.severity}</td>
            <td>${r.status}</td>
            <td>${r.category ?? "—"}</td>
            <td>${r.modelName ?? r.service ?? "—"}</td>
            <td>${when(r.declaredAt, timeZone)}</td>
          </tr>`,
      ),
    )}
    ${paging}`;
}

export function renderIncidentList(viewer: Viewer, body: Html): string {
  return layout({ title: "Incidents", viewer, current: "/app/incidents", body });
}

function clockRow(c: IncidentPage["clocks"][number], env: PageEnv): Html {
  const label = CLOCK_LABELS[c.kind as ClockKind] ?? c.kind;
  const target = duration(c.targetSeconds);
  let state: Html;
  if (c.metAt) {
    const late = (c.metAt.getTime() - c.dueAt.getTime()) / 1000;
    state =
      late > 0
        ? html`<span class="missed">missed</span> by ${duration(late)} (met ${when(c.metAt, env.timeZone)})`
        : html`<span class="met">met</span> ${duration(-late)} early (${when(c.metAt, env.timeZone)})`;
  } else if (c.stoppedAt) {
    state = html`<span class="muted">stopped</span> ${when(c.stoppedAt, env.timeZone)}`;
  } else {
    const left = (c.dueAt.getTime() - env.now.getTime()) / 1000;
    state = left < 0 ? html`<span class="missed">overdue</span> by ${duration(-left)}` : html`running, due in ${duration(left)}`;
  }
  return html`<tr>
    <td>${label}</td>
    <td>${target}</td>
    <td>${when(c.dueAt, env.timeZone)}</td>
    <td>${state}</td>
  </tr>`;
}

const KIND_TEXT: Record<string, string> = {
  "incident.declared": "declared",
  "incident.acknowledged": "acknowledged",
  "severity.changed": "severity changed",
  "status.changed": "status changed",
  "role.assigned": "role assigned",
  "note.added": "note",
  "root_cause.recorded": "root cause",
  "alert.received": "alert",
  "alert.resolved": "alert resolved",
  "message.captured": "message",
  "clock.nudged": "clock nudged",
  "clock.escalated": "clock escalated",
  "clock.met": "clock met",
  "incident.resolved": "resolved",
  "incident.reopened": "reopened",
  "item.owner_set": "owner set",
  "item.completed": "item done",
  "item.marked_na": "item N/A",
  "item.reopened": "item reopened",
  "item.measured": "measured",
};

function eventText(e: { kind: string; text: string | null; data: unknown }): string {
  if (e.text) return e.text;
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (typeof d.from === "string" && typeof d.to === "string") return `${d.from} → ${d.to}`;
  if (typeof d.number === "string") return `item ${d.number}${typeof d.justification === "string" ? `: ${d.justification}` : ""}`;
  if (typeof d.clock === "string") return CLOCK_LABELS[d.clock as ClockKind] ?? d.clock;
  return "";
}

export function renderIncident(env: PageEnv, inc: IncidentPage): string {
  const playbook = inc.items.filter((i) => i.list === "playbook");
  const runbook = inc.items.filter((i) => i.list !== "playbook");
  const items = (list: IncidentPage["items"], caption: string) =>
    list.length === 0
      ? ""
      : dataTable(
          caption,
          ["#", "Step", "Item", "Owner", "State"],
          list.map(
            (i) =>
              html`<tr>
                <td>${i.number}</td>
                <td>${i.stepTitle}</td>
                <td>${i.text}</td>
                <td>${user(i.ownerId)}</td>
                <td>${itemState(i, env)}</td>
              </tr>`,
          ),
        );
  const channel = inc.channelId
    ? html`<a href="${env.channelLink(inc.channelId)}">#${inc.channelName ?? inc.channelId}</a>`
    : html`<span class="muted">not created yet</span>`;
  const body = html`<p><a href="/app/incidents">← All incidents</a></p>
    <h1>${incidentRef(inc.id)}: ${inc.title}</h1>
    <dl class="facts">
      <dt>Severity</dt>
      <dd>${inc.severity}</dd>
      <dt>Status</dt>
      <dd>${inc.status}</dd>
      <dt>Category</dt>
      <dd>${inc.category ?? "—"}</dd>
      <dt>Model / service</dt>
      <dd>${inc.modelName ?? inc.service ?? "—"}${inc.modelVersion ? ` (version ${inc.modelVersion})` : ""}</dd>
      <dt>Escalation</dt>
      <dd>${inc.escalation}</dd>
      <dt>Lead</dt>
      <dd>${user(inc.leadId)}</dd>
      <dt>Comms</dt>
      <dd>${user(inc.commsId)}</dd>
      <dt>Declared</dt>
      <dd>${when(inc.declaredAt, env.timeZone)} by ${user(inc.declaredBy)}</dd>
      ${
        inc.resolvedAt
          ? html`<dt>Resolved</dt>
              <dd>${when(inc.resolvedAt, env.timeZone)}</dd>`
          : ""
      }
      ${
        inc.rootCause
          ? html`<dt>Root cause</dt>
              <dd>${inc.rootCause}</dd>`
          : ""
      }
      <dt>Channel</dt>
      <dd>${channel}${inc.isPrivate ? " (private)" : ""}</dd>
    </dl>
    ${inc.summary ? html`<p>${inc.summary}</p>` : ""}
    <h2>Playbook</h2>
    ${playbook.length ? items(playbook, "Playbook items with owners and states") : html`<p class="muted">No playbook items.</p>`}
    ${items(runbook, "Runbook items")}
    <h2>Clocks</h2>
    ${
      inc.clocks.length
        ? dataTable(
            "Response and communication clocks",
            ["Clock", "Target", "Due", "State"],
            inc.clocks.map((c) => clockRow(c, env)),
          )
        : html`<p class="muted">No clocks.</p>`
    }
    <h2>Timeline</h2>
    ${dataTable(
      "Timeline, oldest first",
      ["Time", "Who", "What", "Detail"],
      inc.events.map(
        (e) =>
          html`<tr>
            <td>${when(e.at, env.timeZone)}</td>
            <td>${user(e.actorId)}</td>
            <td>${KIND_TEXT[e.kind] ?? e.kind}</td>
            <td>${eventText(e)}</td>
          </tr>`,
      ),
    )}
    <h2>Alerts</h2>
    ${
      inc.alerts.length
        ? dataTable(
            "Alerts on this incident",
            ["Alert", "Source", "Severity", "Status", "Metric", "Seen"],
            inc.alerts.map(
              (a) =>
                html`<tr>
                  <td>${a.title}</td>
                  <td>${a.source}</td>
                  <td>${a.severity}</td>
                  <td>${a.status}</td>
                  <td>${a.metricName ? `${a.metricName} = ${a.metricValue ?? ""}` : "—"}</td>
                  <td>${a.count}× since ${when(a.firstSeenAt, env.timeZone)}</td>
                </tr>`,
            ),
          )
        : html`<p class="muted">No alerts.</p>`
    }
    <h2>Review draft</h2>
    ${
      inc.review
        ? html`<p>Due ${inc.review.dueDate}${inc.review.completedAt ? `, completed ${when(inc.review.completedAt, env.timeZone)}` : ""}.</p>
            <pre class="review">${inc.review.markdown}</pre>`
        : html`<p class="muted">No review drafted yet.</p>`
    }`;
  return layout({ title: `${incidentRef(inc.id)} ${inc.title}`, viewer: env.viewer, current: "/app/incidents", body });
}

const gateRef = (id: number) => `G-${id}`;

export function renderGateList(env: PageEnv, gates: GateView[]): string {
  const body = html`<h1>Release gates</h1>
    ${dataTable(
      "Gates, open first",
      ["Gate", "Title", "Subject", "Status", "Progress", "Opened"],
      gates.map(
        (g) =>
          html`<tr>
            <td><a href="/app/gates/${gateRef(g.id)}">${gateRef(g.id)}</a></td>
            <td>${g.title}</td>
            <td>${g.subject}</td>
            <td>${g.status}</td>
            <td>${progressLine(gateProgress(g.items))}</td>
            <td>${when(g.createdAt, env.timeZone)}</td>
          </tr>`,
      ),
    )}`;
  return layout({ title: "Gates", viewer: env.viewer, current: "/app/gates", body });
}

function auditText(e: StoredGateEvent): string {
  switch (e.kind) {
    case "gate.opened":
      return `opened from template ${e.data.templateId} for ${e.data.subject}${e.data.override ? ` (override by @${e.data.override.by}: ${e.data.override.reason})` : ""}`;
    case "gate.approved":
      return `approved by @${e.data.approvedBy}`;
    case "gate.reopened":
      return `reopened: ${e.data.reason}`;
    case "gate.assigned_all":
      return `all unowned items (${e.data.numbers.length}) assigned to @${e.data.ownerId}`;
    case "gate.exported":
      return "exported as Markdown";
    case "gate.chased":
      return `chased owners (${e.data.day})`;
    case "gate.post_failed":
      return `Slack post failed: ${e.data.error}`;
    case "model.registry_event":
      return `registry: ${e.data.event} on ${e.data.model} ${e.data.version}${e.data.alias ? ` (alias ${e.data.alias} ${e.data.from ?? "?"} → ${e.data.to ?? "deleted"})` : ""}`;
    case "item.owner_set":
      return `item ${e.data.number}: owner @${e.data.ownerId}${e.data.previous ? ` (was @${e.data.previous})` : ""}`;
    case "item.completed":
      return `item ${e.data.number}: done`;
    case "item.marked_na":
      return `item ${e.data.number}: N/A — ${e.data.justification}`;
    case "item.reopened":
      return `item ${e.data.number}: reopened`;
    case "item.measured":
      return `item ${e.data.number}: measured ${e.data.input} — ${e.data.text}`;
    case "unknown":
      return `${e.storedKind}`;
  }
}

export function renderGate(env: PageEnv, page: GatePage): string {
  const g = page.gate;
  const body = html`<p><a href="/app/gates">← All gates</a></p>
    <h1>${gateRef(g.id)}: ${g.title}</h1>
    <dl class="facts">
      <dt>Subject</dt>
      <dd>${g.subject}</dd>
      <dt>Template</dt>
      <dd>${g.templateId}</dd>
      <dt>Status</dt>
      <dd>${g.status}</dd>
      <dt>Progress</dt>
      <dd>${progressLine(gateProgress(g.items))}</dd>
      <dt>Opened by</dt>
      <dd>${user(g.openedBy)} ${when(g.createdAt, env.timeZone)}</dd>
      <dt>Approval</dt>
      <dd>${g.approvedBy ? html`approved by ${user(g.approvedBy)} ${when(g.approvedAt, env.timeZone)}` : "not approved"}</dd>
      ${
        g.overrideReason
          ? html`<dt>Override</dt>
              <dd>${g.overrideReason}</dd>`
          : ""
      }
      <dt>Channel</dt>
      <dd><a href="${env.channelLink(g.channelId)}">${g.channelId}</a></dd>
    </dl>
    <h2>Items</h2>
    ${dataTable(
      "Items with owners, states and measured values",
      ["#", "Section", "Item", "Owner", "State", "Criterion", "Measured"],
      g.items.map(
        (i) =>
          html`<tr>
            <td>${i.number}</td>
            <td>${i.sectionTitle}</td>
            <td>${i.text}</td>
            <td>${user(i.ownerId)}</td>
            <td>${itemState(i, env)}</td>
            <td>${i.criterion ? i.criterion.label : "—"}</td>
            <td>
              ${i.measuredValue !== null ? html`${i.measuredText ?? String(i.measuredValue)} ${i.measuredPassing ? html`<span class="met">passes</span>` : html`<span class="missed">fails</span>`}` : "—"}
            </td>
          </tr>`,
      ),
    )}
    <h2>Audit trail</h2>
    <div class="table-wrap" tabindex="0">
      <table id="audit">
        <caption>
          Every change, with time and actor
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          ${page.events.map(
            (e) =>
              html`<tr>
                <td>${when(e.at, env.timeZone)}</td>
                <td>${user(e.actorId)}</td>
                <td>${auditText(e.event)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  return layout({ title: `${gateRef(g.id)} ${g.title}`, viewer: env.viewer, current: "/app/gates", body });
}
