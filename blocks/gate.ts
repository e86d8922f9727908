import { localMinute } from "../src/text/local-time.js";
import type { ActionsBlockElement, KnownBlock, PlainTextOption, UsersSelect } from "@slack/web-api";
import type { AbTestResult } from "../src/gates/stats.js";
import { gateRef } from "../src/gates/gate-ref.js";
import type { GateItemView, GateView } from "../src/gates/gate-view.js";
import { gateProgress, progressLine } from "../src/gates/progress.js";
import type { GateTemplate } from "../src/gates/template-schema.js";
import { ACTIONS } from "../src/chat/ids.js";
import { gateItemBlockId, gateItemValue } from "../src/chat/item-values.js";
import { button, capBlocks, context, esc, header, LIMITS, section, truncate, packLines } from "./text.js";

type Block = KnownBlock;

const STATE_MARK: Record<string, string> = { todo: "⬜", done: "✅", na: "➖" };
const when = (d: Date | null, tz: string) => (d ? localMinute(d, tz) : "—");

/** `Criterion: p99 < 200 ms · ✅ p99 180 ms meets < 200 ms` (❌ in red when failing). */
export function measurementText(item: GateItemView): string | null {
  if (!item.criterion) return null;
  const measured =
    item.measuredPassing === null
      ? "_not measured yet_"
      : item.measuredPassing
        ? `✅ ${esc(item.measuredText ?? "")}`
        : `❌ *${esc(item.measuredText ?? "")}*`;
  return `_Criterion:_ ${esc(item.criterion.label)} · _Measured:_ ${measured}`;
}

export function gateItemLine(item: GateItemView): string {
  const owner = item.ownerId ? `<@${item.ownerId}>` : "⚠️ _no owner_";
  let line = `${STATE_MARK[item.state] ?? "⬜"} *${item.number}* ${esc(item.text)} — ${owner}`;
  if (item.state === "done" && item.completedBy) line += ` · done by <@${item.completedBy}>`;
  if (item.state === "na") line += ` · N/A: _${esc(truncate(item.justification ?? "", 300))}_`;
  const measured = measurementText(item);
  if (measured) line += `\n${measured}`;
  return line;
}

function sections(items: GateItemView[]) {
  const out: { title: string; items: GateItemView[] }[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (last && last.title === item.sectionTitle) last.items.push(item);
    else out.push({ title: item.sectionTitle, items: [item] });
  }
  return out;
}

export function gateFallbackText(g: GateView): string {
  return `${gateRef(g.id)} ${esc(g.title)} — ${esc(g.subject)}: ${progressLine(gateProgress(g.items))}${g.status === "approved" ? " · approved" : ""}`;
}

function summaryBlocks(g: GateView, tz: string): Block[] {
  const progress = gateProgress(g.items);
  const blocks: Block[] = [
    header(`${gateRef(g.id)} · ${g.title}`),
    section(`*Subject:* ${esc(g.subject)}\n*Template:* \`${g.templateId}\`\n*Progress:* ${progressLine(progress)}`),
  ];
  if (progress.failing.length > 0) {
    blocks.push(
      section(
        `❌ *Failing measurements* (they block the gate):\n${progress.failing.map((f) => `• ${f.number}: ${esc(f.text)}`).join("\n")}`,
      ),
    );
  }
  const notes = [`Opened by <@${g.openedBy}> ${when(g.createdAt, tz)} (${tz})`];
  if (g.overrideReason) notes.push(`⚠️ Opened out of order: _${esc(truncate(g.overrideReason, 300))}_`);
  if (g.status === "approved")
    notes.push(
      `✅ Approved by <@${g.approvedBy}> ${when(g.approvedAt, tz)}; frozen (\`/gate reopen ${gateRef(g.id)} <reason>\` to change it)`,
    );
  blocks.push(context(...notes));
  return blocks;
}

/**
 * The gate message: title, subject, template, progress, failing measurements, each item numbered with its
 * owner picker, Done and N/A… and its criterion and measured value; an Approve button. Two blocks per item
 * when that fits in 50 blocks, else one section with an overflow menu per item. An approved gate is frozen:
 * it shows no controls.
 */
/** `webUrl`: the gate's page with its audit trail (PUBLIC_URL), linked in the summary when set. */
export function gateMessageBlocks(g: GateView, tz: string, webUrl?: string): Block[] {
  const frozen = g.status === "approved";
  const top = summaryBlocks(g, tz);
  if (webUrl) top.push(context(`<${webUrl}|Audit trail of ${gateRef(g.id)} in the web view>`));
  const groups = sections(g.items);
  const footer: Block[] = frozen
    ? []
    : [
        {
          type: "actions",
          block_id: `gate_actions|${g.id}`,
          elements: [button("Approve gate", ACTIONS.gateApprove, String(g.id), "primary")],
        },
      ];
  const roomy = top.length + groups.length + g.items.length * (frozen ? 1 : 2) + footer.length <= LIMITS.blocksPerMessage;
  const body: Block[] = [];
  for (const [index, group] of groups.entries()) {
    body.push(section(`*${index + 1}. ${esc(group.title)}*`));
    for (const item of group.items) {
      const value = gateItemValue(g.id, item.number);
      const blockId = gateItemBlockId(g.id, item.number);
      if (frozen) {
        body.push(section(gateItemLine(item), { block_id: blockId }));
      } else if (roomy) {
        body.push(section(gateItemLine(item), { block_id: `${blockId}|text` }));
        const owner: UsersSelect = {
          type: "users_select",
          action_id: `${ACTIONS.gateItemOwner}:${item.number}`,
          placeholder: { type: "plain_text", text: "Owner" },
        };
        if (item.ownerId) owner.initial_user = item.ownerId;
        const elements: ActionsBlockElement[] = [owner];
        if (item.state !== "done") elements.push(button("Done", `${ACTIONS.gateItemDone}:${item.number}`, value, "primary"));
        if (item.state !== "na") elements.push(button("N/A…", `${ACTIONS.gateItemNa}:${item.number}`, value));
        body.push({ type: "actions", block_id: blockId, elements });
      } else {
        const options: PlainTextOption[] = [{ text: { type: "plain_text", text: "Assign owner…" }, value: `owner|${value}` }];
        if (item.state !== "done") options.push({ text: { type: "plain_text", text: "Mark done" }, value: `done|${value}` });
        if (item.state !== "na") options.push({ text: { type: "plain_text", text: "Mark N/A…" }, value: `na|${value}` });
        body.push(
          section(gateItemLine(item), {
            block_id: blockId,
            accessory: { type: "overflow", action_id: `${ACTIONS.gateItemMenu}:${item.number}`, options },
          }),
        );
      }
    }
  }
  const capped = capBlocks(
    [...top, ...body],
    LIMITS.blocksPerMessage - footer.length,
    (n) => `…and ${n} more blocks: see \`/gate status ${gateRef(g.id)}\``,
  );
  return [...capped, ...footer];
}

/** `/gate status`: the whole gate as text (no controls), one section per template section. */
export function gateStatusBlocks(g: GateView, tz: string): Block[] {
  const blocks = summaryBlocks(g, tz);
  for (const [index, group] of sections(g.items).entries()) {
    const lines = group.items.map(gateItemLine);
    // A long section is split across blocks so no item line is cut by the 3000-character limit.
    let chunk = `*${index + 1}. ${esc(group.title)}*`;
    for (const line of lines) {
      if (chunk.length + line.length + 1 > LIMITS.sectionText - 10) {
        blocks.push(section(chunk));
        chunk = "";
      }
      chunk += `${chunk ? "\n" : ""}${line}`;
    }
    if (chunk) blocks.push(section(chunk));
  }
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more sections: \`/gate export ${gateRef(g.id)}\` has every item`);
}

export interface GateListEntry {
  id: number;
  title: string;
  subject: string;
  templateId: string;
  channelId: string;
  items: GateItemView[];
}

export function gateListBlocks(gates: GateListEntry[]): Block[] {
  if (gates.length === 0)
    return [section("No open gates. Open one with `/gate open <template> <subject>` (`/gate templates` lists them).")];
  const lines = gates.map(
    (g) => `*${gateRef(g.id)}* ${esc(g.title)} — ${esc(g.subject)} · ${progressLine(gateProgress(g.items))} · <#${g.channelId}>`,
  );
  const blocks: Block[] = [header(`Open gates (${gates.length})`)];
  for (const chunk of packLines(lines)) blocks.push(section(chunk));
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more`);
}

export function templateListBlocks(templates: readonly GateTemplate[]): Block[] {
  const lines = templates.map((t) => {
    const count = t.sections.reduce((n, s) => n + s.items.length, 0);
    const stage = t.stage?.requires ? ` · after \`${t.stage.requires}\`` : "";
    return `• \`${t.id}\` — ${esc(t.title)} (${count} items${stage})`;
  });
  const blocks: Block[] = [header("Gate templates")];
  for (const chunk of packLines(lines)) blocks.push(section(chunk));
  blocks.push(context("Open one with `/gate open <template> <subject>`; the rollout stages go shadow → canary → ab-test → full-rollout."));
  return capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more`);
}

const pct = (f: number, digits = 2) => `${(f * 100).toFixed(digits)}%`;
const signed = (s: string, v: number) => (v >= 0 ? `+${s}` : s);

/** The A/B helper's answer: rates, lifts, p, interval and the decision. */
export function abResultText(r: AbTestResult, input: { cConv: number; cTotal: number; tConv: number; tTotal: number }): string {
  const lines = [
    `*A/B test* — control ${input.cConv}/${input.cTotal}, treatment ${input.tConv}/${input.tTotal}`,
    `• Control rate: ${pct(r.controlRate)} · treatment rate: ${pct(r.treatmentRate)}`,
    `• Absolute lift: ${signed(`${(r.absoluteLift * 100).toFixed(2)} pts`, r.absoluteLift)} · relative lift: ${r.relativeLift === null ? "n/a (control rate is 0)" : signed(pct(r.relativeLift, 1), r.relativeLift)}`,
    `• z = ${r.z.toFixed(3)} · two-sided p = ${r.pValue < 0.0001 ? "< 0.0001" : r.pValue.toFixed(4)}`,
    `• ${Math.round(r.confidenceLevel * 100)}% CI of the difference: [${(r.confidenceInterval.lower * 100).toFixed(2)}, ${(r.confidenceInterval.upper * 100).toFixed(2)}] pts`,
    `*Decision: ${r.decision}* — ${r.reason}`,
  ];
  return lines.join("\n");
}

export function sampleSizeText(n: number, input: { baseline: number; expected: number; confidence: number; power: number }): string {
  return [
    `*Sample size* to detect ${pct(input.baseline, 1)} → ${pct(input.expected, 1)} at ${pct(input.confidence, 0)} confidence and ${pct(input.power, 0)} power:`,
    `*${n.toLocaleString("en-US")} per group* (${(2 * n).toLocaleString("en-US")} in total for a 50/50 split).`,
  ].join("\n");
}

export interface ChaseItem {
  number: string;
  text: string;
}

/** The daily announcement in a gate's channel while items have no owner. */
export function unownedAnnouncement(
  g: { id: number; title: string; subject: string },
  unowned: ChaseItem[],
): { text: string; blocks: Block[] } {
  const ref = gateRef(g.id);
  const list = unowned.map((i) => `• *${i.number}* ${esc(truncate(i.text, 150))}`).join("\n");
  const text = `⏰ ${ref} ${g.title} — ${g.subject}: ${unowned.length} item${unowned.length === 1 ? " has" : "s have"} no owner yet`;
  return {
    text,
    blocks: [
      section(
        `⏰ *${ref}* ${esc(g.title)} — ${esc(g.subject)}: ${unowned.length} item${unowned.length === 1 ? " has" : "s have"} no owner yet. A gate passes only when every item has one.`,
      ),
      section(truncate(list, LIMITS.sectionText)),
      context(`Pick an owner in the gate message, or \`/gate owner ${ref} <item> <@user>\` · \`/gate assign-all ${ref} <@user>\``),
    ],
  };
}

export interface OwnerDigestItem {
  ref: string;
  title: string;
  number: string;
  text: string;
  channelId: string | null;
}

/** The owner's direct message: their open gate items across gates. */
export function ownerDigestMessage(items: OwnerDigestItem[]): { text: string; blocks: Block[] } {
  const lines = items.map(
    (i) =>
      `• *${i.ref} ${i.number}* ${esc(truncate(i.text, 120))} — _${esc(truncate(i.title, 80))}_${i.channelId ? ` <#${i.channelId}>` : ""}`,
  );
  const text = `You own ${items.length} open gate item${items.length === 1 ? "" : "s"}`;
  const blocks: Block[] = [section(`📋 *${text}:*`)];
  for (const chunk of packLines(lines)) blocks.push(section(chunk));
  blocks.push(context("Mark them with `/gate done <gate> <item>` or the buttons in each gate's message."));
  return { text, blocks: capBlocks(blocks, LIMITS.blocksPerMessage, (n) => `…and ${n} more`) };
}
