import { localMinute } from "../src/text/local-time.js";
import type { HomeView, KnownBlock } from "@slack/web-api";
import type { OpenItem } from "../src/gates/list-open-items.js";
import type { IncidentStats } from "../src/incidents/compute-stats.js";
import { statsBlocks } from "./stats.js";
import { capBlocks, context, divider, esc, header, LIMITS, section, truncate } from "./text.js";

type Block = KnownBlock;

function groupLines(items: OpenItem[]): Block[] {
  const blocks: Block[] = [];
  const groups = new Map<string, OpenItem[]>();
  for (const item of items) groups.set(item.ref, [...(groups.get(item.ref) ?? []), item]);
  for (const [ref, list] of groups) {
    const first = list[0]!;
    const where = first.channelId ? ` · <#${first.channelId}>` : "";
    const lines = list.map((i) => `• *${i.number}* ${esc(truncate(i.text, 150))}`);
    blocks.push(section(truncate(`*${ref}* ${esc(truncate(first.title, 120))}${where}\n${lines.join("\n")}`, LIMITS.sectionText)));
  }
  return blocks;
}

/** App Home: "my open items" (the time in TIMEZONE) across release gates and incident playbooks, each with a link to its channel. */
export function homeView(userId: string, items: OpenItem[], now: Date, timeZone: string, stats?: IncidentStats): HomeView {
  const gates = items.filter((i) => i.kind === "gate");
  const incidents = items.filter((i) => i.kind === "incident");
  const blocks: Block[] = [
    header("My open items"),
    context(`<@${userId}> · ${items.length} open item${items.length === 1 ? "" : "s"} · updated ${localMinute(now, timeZone)} ${timeZone}`),
    divider(),
    section(`*Release gates* (${gates.length})`),
    ...(gates.length ? groupLines(gates) : [context("No open gate items. `/gate list` shows the open gates.")]),
    divider(),
    section(`*Incident playbooks* (${incidents.length})`),
    ...(incidents.length ? groupLines(incidents) : [context("No open playbook items.")]),
    // The team's numbers (MTTA, MTTR, breaches) below the personal list, as `/incident stats` shows them.
    ...(stats ? [divider(), ...statsBlocks(stats)] : []),
  ];
  return { type: "home", blocks: capBlocks(blocks, LIMITS.blocksPerView, (n) => `…and ${n} more`) };
}
