import type { KnownBlock } from "@slack/web-api";
import type { IncidentModelView, ModelStatusView } from "../src/models/list-models.js";
import { incidentRef } from "../src/incidents/naming.js";
import { evidenceText } from "./incident.js";
import { capBlocks, context, esc, header, packLines, section } from "./text.js";

export type { IncidentModelView, ModelStatusView };

function healthText(h: ModelStatusView["health"]): string {
  return "version" in h ? `health reports *${esc(h.version)}*` : `health: _${esc(h.error)}_`;
}

function aliasText(m: ModelStatusView): string {
  if (m.registryError) return `alias \`${esc(m.alias)}\` → _${esc(m.registryError)}_`;
  return `alias \`${esc(m.alias)}\` → ${m.aliasVersion ? `*${esc(m.aliasVersion)}*` : "_not set_"}`;
}

export function modelLine(m: ModelStatusView): string {
  const follows = "version" in m.health && m.aliasVersion !== null && m.health.version === m.aliasVersion;
  const mark = m.registryError || !("version" in m.health) ? "⚠️" : follows ? "🟢" : "🟡";
  return `${mark} *${esc(m.name)}*${m.registryModel !== m.name ? ` (registry ${esc(m.registryModel)})` : ""} · ${aliasText(m)} · ${healthText(m.health)}`;
}

export function modelListBlocks(models: ModelStatusView[]): KnownBlock[] {
  if (!models.length) return [section("No models in the catalog. Set `MODELS_FILE` (see templates/models/models.example.yaml).")];
  const blocks: KnownBlock[] = [header("Model catalog")];
  for (const m of models) {
    blocks.push(section(modelLine(m)));
    const who = [
      m.services.length ? `services ${m.services.map(esc).join(", ")}` : "",
      m.owners.length ? `owners ${m.owners.map((o) => `<@${o}>`).join(" ")}` : "",
    ];
    if (who.some(Boolean)) blocks.push(context(who.filter(Boolean).join(" · ")));
  }
  return capBlocks(blocks, 50, (n) => `…and ${n} more`);
}

export function modelListText(models: ModelStatusView[]): string {
  return models.length ? models.map(modelLine).join("\n") : "No models in the catalog.";
}

/** Slack shows the time in the reader's zone; the fallback is UTC. */
const when = (at: Date) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${at.toISOString().slice(0, 16)}Z>`;

/** One line per gate of the version (passed or still open), and one per N/A item with its justification and owner. */
export function modelGateLines(gates: IncidentModelView["gates"]): string[] {
  const lines: string[] = [];
  for (const g of gates) {
    const what = `*${esc(g.ref)}* ${esc(g.title)} (\`${esc(g.templateId)}\`, “${esc(g.subject)}”)`;
    lines.push(
      g.status === "approved"
        ? `✅ ${what} — passed, approved by ${g.approvedBy ? `<@${g.approvedBy}>` : "someone"}${g.approvedAt ? ` ${when(g.approvedAt)}` : ""}`
        : `⏳ ${what} — still open, not passed`,
    );
    for (const i of g.naItems) {
      lines.push(
        `      N/A ${esc(i.number)} ${esc(i.text)}: “${esc(i.justification)}” (owner ${i.ownerId ? `<@${i.ownerId}>` : "_unassigned_"})`,
      );
    }
  }
  return lines;
}

export function incidentModelBlocks(v: IncidentModelView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    header(`${incidentRef(v.incidentId)} · model ${v.status.name}`),
    section(modelLine(v.status)),
    section(`Version when the incident opened: ${v.declaredVersion ? `*${esc(v.declaredVersion)}*` : "_unknown_"}`),
  ];
  if (v.evidence && Object.keys(v.evidence).length) {
    blocks.push(section(`*Evidence* ${evidenceText(v.evidence)}`));
  }
  const moves = v.history.filter((h) => h.from !== null || h.source !== "declare");
  if (moves.length) {
    blocks.push(
      section(
        `*Alias moves seen*\n${moves.map((h) => `• ${esc(h.from ?? "∅")} → ${esc(h.to ?? "∅")} (${h.source}, ${h.at.toISOString().slice(0, 16)}Z)`).join("\n")}`,
      ),
    );
  }
  const version = v.declaredVersion ? `${v.status.name} v${v.declaredVersion}` : v.status.name;
  if (v.gates.length) {
    const [first, ...rest] = packLines(modelGateLines(v.gates), 2900);
    blocks.push(section(`*Release gates of ${esc(version)}*\n${first}`), ...rest.map((t) => section(t)));
  } else {
    blocks.push(context(`No gate names ${esc(version)} in its subject (e.g. \`/gate open shadow ${esc(version)}\`).`));
  }
  if (v.rollbacks.length) {
    blocks.push(
      section(
        `*Rollbacks*\n${v.rollbacks.map((r) => `• #${r.id} ${esc(r.fromVersion)} → ${esc(r.toVersion)}: ${r.state}${r.confirmedBy ? ` by <@${r.confirmedBy}>` : ""}${r.error ? ` — ${esc(r.error)}` : ""}`).join("\n")}`,
      ),
    );
  }
  return capBlocks(blocks, 50, (n) => `…and ${n} more`);
}
