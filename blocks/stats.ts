import type { KnownBlock } from "@slack/web-api";
import type { Duration, IncidentStats } from "../src/incidents/compute-stats.js";
import { context, header, section } from "./text.js";

/** `4m 30s`, `2h 05m`, `1d 3h`. */
export function formatSeconds(s: number): string {
  const t = Math.round(s);
  if (t < 3600) return `${Math.floor(t / 60)}m ${String(t % 60).padStart(2, "0")}s`;
  if (t < 86_400) return `${Math.floor(t / 3600)}h ${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(t / 86_400)}d ${Math.floor((t % 86_400) / 3600)}h`;
}

const dur = (d: Duration) =>
  d.meanSeconds === null ? "—" : `${formatSeconds(d.meanSeconds)} (median ${formatSeconds(d.medianSeconds!)}, n=${d.n})`;

const counts = (r: Record<string, number>) => {
  const entries = Object.entries(r).sort(([a], [b]) => a.localeCompare(b));
  return entries.length > 0 ? entries.map(([k, v]) => `${k}: ${v}`).join(" · ") : "none";
};

export function statsText(s: IncidentStats): string {
  return `Incidents in the last ${s.window}: ${s.total} · MTTA ${dur(s.mtta)} · MTTR ${dur(s.mttr)} · time to mitigate ${dur(s.timeToMitigate)}`;
}

/** Incident statistics (also used by the App Home). Pure. */
export function statsBlocks(s: IncidentStats): KnownBlock[] {
  return [
    header(`Incident stats · last ${s.window}`),
    section(`*${s.total}* incident(s) declared, *${s.open}* still open`),
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*MTTA* (detected → acknowledged)\n${dur(s.mtta)}` },
        { type: "mrkdwn", text: `*MTTR* (detected → resolved)\n${dur(s.mttr)}` },
        { type: "mrkdwn", text: `*Time to mitigate* (detected → mitigated)\n${dur(s.timeToMitigate)}` },
        { type: "mrkdwn", text: `*Clock breaches*\n${counts(s.breachesByClock)}` },
      ],
    },
    section(`*By severity:* ${counts(s.bySeverity)}\n*By category:* ${counts(s.byCategory)}`),
    context(`${s.from.toISOString().slice(0, 10)} → ${s.to.toISOString().slice(0, 10)} (by declaration time)`),
  ];
}
