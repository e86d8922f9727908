import { localMinute } from "../src/text/local-time.js";
import { type Evidence, evidenceEntries } from "../src/models/evidence.js";
import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import type { ActionsBlockElement, Button, KnownBlock, PlainTextOption, UsersSelect } from "@slack/web-api";
import { incidentRef } from "../src/incidents/naming.js";
import { ACTIONS } from "../src/chat/ids.js";
import { incidentItemBlockId, incidentItemValue, stepOwnerActionId } from "../src/chat/item-values.js";
import type { ChecklistItemView, IncidentView } from "../src/incidents/view.js";
import { button, capBlocks, context, esc, header, LIMITS, mention, section, truncate } from "./text.js";

export type { ChecklistItemView, IncidentView };

const ESCALATION_EMOJI: Record<string, string> = { green: "🟢", yellow: "🟡", red: "🔴" };
const STATUS_EMOJI: Record<string, string> = {
  investigating: "🔎",
  identified: "🧭",
  mitigated: "🩹",
  resolved: "✅",
};

export const ref = incidentRef;

const when = (d: Date | null, tz: string) => (d ? localMinute(d, tz) : "—");

/** One line used for the channel topic: severity, status, lead. */
export function incidentTopic(i: IncidentView): string {
  const lead = i.leadId ? `<@${i.leadId}>` : "unassigned";
  return truncate(`${ref(i.id)} · ${i.severity} · ${i.status} · lead ${lead} · ${i.title}`, 250);
}

export function incidentHeaderText(i: IncidentView): string {
  return `${ref(i.id)} ${i.severity} ${i.status}: ${esc(i.title)} (lead: ${i.leadId ? `<@${i.leadId}>` : "unassigned"})`;
}

/** Block budget of the pinned header (read first, on a phone): asserted by the tests. */
export const HEADER_BLOCK_BUDGET = 15;

/**
 * The pinned header message: title, severity, status, lead, comms, category and escalation colour, the running
 * clocks' deadlines, the next step with its owner, and the incident's links as buttons. `webUrl`: the incident's
 * page in the web view, a button too when `i.links` does not carry it already.
 */
export function incidentHeaderBlocks(i: IncidentView, tz: string, webUrl?: string): KnownBlock[] {
  const fields = [
    `*Severity*\n${i.severity}`,
    `*Status*\n${STATUS_EMOJI[i.status] ?? ""} ${i.status}`,
    `*Lead*\n${mention(i.leadId)}`,
    `*Comms*\n${mention(i.commsId)}`,
    `*Category*\n${i.category ?? "_not classified_"}`,
    `*Escalation*\n${ESCALATION_EMOJI[i.escalation] ?? ""} ${i.escalation}`,
    `*Affected*\n${i.service ? esc(i.service) : "_unknown_"}`,
    `*User-facing*\n${i.userFacing ? "yes" : "no"}`,
  ];
  const blocks: KnownBlock[] = [
    header(`${ref(i.id)} · ${i.title}`),
    {
      type: "section",
      fields: fields.map((t) => ({ type: "mrkdwn", text: truncate(t, LIMITS.fieldText) })),
    },
  ];
  if (i.deadlines?.length) {
    const hhmm = (d: Date) => format(new TZDate(d, tz), "HH:mm");
    blocks.push(section(`⏱ *${i.deadlines.map((d) => `${d.clock} by ${hhmm(d.at)}`).join(" · ")}* _(${tz})_`, { block_id: "deadlines" }));
  }
  if (i.nextStep) {
    const owner = i.nextStep.ownerId ? `<@${i.nextStep.ownerId}>` : "_no owner_";
    blocks.push(
      section(`👉 *Next step:* *${i.nextStep.number}* ${esc(truncate(i.nextStep.text, 300))} — ${owner}`, { block_id: "next_step" }),
    );
  }
  if (i.model) blocks.push(section(modelHeaderText(i.model)));
  if (i.summary) blocks.push(section(`*Summary*\n${esc(i.summary)}`));
  blocks.push(
    context(
      `Detected ${when(i.detectedAt, tz)} · acknowledged ${when(i.acknowledgedAt, tz)} · mitigated ${when(i.mitigatedAt, tz)} · resolved ${when(i.resolvedAt, tz)} (${tz})`,
      `Declared by ${i.declaredBy.startsWith("alert:") ? i.declaredBy.slice(6) + " alert" : mention(i.declaredBy)}${i.isPrivate ? " · 🔒 private" : ""}`,
    ),
  );
  const links = [...(i.links ?? [])];
  if (webUrl && !links.some((l) => l.kind === "web")) links.push({ kind: "web", title: "Web view", url: webUrl });
  const shown = links.filter((l) => l.url.length <= MAX_URL); // a longer url is refused by Slack: that link is left out
  if (shown.length) {
    blocks.push({
      type: "actions",
      block_id: "header_links",
      elements: shown.slice(0, MAX_HEADER_LINKS).map((l) => linkButton(l.title, `${ACTIONS.headerLink}:${l.kind}`, l.url)),
    });
  }
  if (!i.acknowledgedAt && i.status !== "resolved") {
    blocks.push({
      type: "actions",
      block_id: "header_actions",
      elements: [button("Acknowledge", ACTIONS.incidentAck, String(i.id), "primary")],
    });
  }
  return blocks;
}

const MAX_HEADER_LINKS = 6;
const MAX_URL = 3000;

/** A button that opens a link (Slack still sends the click: a listener acks it). */
function linkButton(text: string, actionId: string, url: string): Button {
  return { type: "button", text: { type: "plain_text", text: truncate(text, LIMITS.buttonText), emoji: true }, action_id: actionId, url };
}

const STATE_MARK: Record<string, string> = { todo: "⬜", done: "✅", na: "➖" };

function itemLine(item: ChecklistItemView): string {
  // An item without an owner says nothing: the summary line counts them once instead of every item shouting "no owner".
  const owner = item.ownerId ? ` — <@${item.ownerId}>` : "";
  let line = `${STATE_MARK[item.state] ?? "⬜"} *${item.number}* ${esc(item.text)}${owner}`;
  if (item.state === "done" && item.completedBy) line += ` · done by <@${item.completedBy}>`;
  if (item.state === "na") line += ` · N/A: _${esc(truncate(item.justification ?? "", 300))}_`;
  return line;
}

/**
 * The playbook as a checklist: each item shows its state and owner with an owner picker and Done / N/A
 * controls. Two blocks per item when that fits in 50 blocks; otherwise one block per item with an
 * overflow menu (assign, done, N/A) so long checklists still render.
 */
export function checklistBlocks(
  incidentId: number,
  list: string,
  title: string,
  items: ChecklistItemView[],
  opts: { targets?: Record<string, string>; resolved?: boolean; compact?: boolean } = {},
): KnownBlock[] {
  const steps = groupBySteps(items);
  const done = items.filter((i) => i.state !== "todo").length;
  const unowned = items.filter((i) => !i.ownerId && i.state === "todo").length;
  const next = items.find((i) => i.state === "todo");
  // compact (the pinned playbook, read on a phone): the current step in full, every other step one line with its progress.
  // A resolved incident's playbook is the record: shown in full, without controls.
  const compact = opts.compact && !opts.resolved;
  const current = compact ? steps.find((s) => s.items.some((i) => i.state === "todo")) : undefined;
  const top: KnownBlock[] = [
    header(title),
    context(
      [
        `${done}/${items.length} done or N/A`,
        unowned ? `${unowned} open without an owner` : "every open item has an owner",
        "items are numbered for `/incident done 3.1`",
      ].join(" · "),
    ),
  ];
  if (next && !opts.resolved) top.push(section(`*Next:* ${next.number} ${esc(truncate(next.text, 500))}`));
  const shown = compact ? steps.filter((s) => s === current) : steps;
  const roomy = top.length + steps.length + shown.reduce((n, s) => n + s.items.length, 0) * 2 + 1 <= LIMITS.blocksPerMessage;
  const body: KnownBlock[] = [];
  for (const step of steps) {
    const target = opts.targets?.[step.key];
    // *Assign step to…* on every step line: gives each item of the step without an owner to the person picked.
    const assign = opts.resolved ? {} : { accessory: stepOwnerPicker(list, step.index) };
    if (compact && step !== current) {
      body.push(section(stepLine(step, target), { block_id: `step|${list}|${step.index}`, ...assign }));
      continue;
    }
    body.push(
      section(`*${step.index}. ${esc(step.title)}*${target ? `  _(${esc(target)})_` : ""}`, {
        block_id: `stephead|${list}|${step.index}`,
        ...assign,
      }),
    );
    for (const item of step.items) {
      const value = incidentItemValue(incidentId, list, item.number);
      const blockId = incidentItemBlockId(list, item.number);
      if (roomy) {
        body.push(section(itemLine(item), { block_id: `${blockId}|text` }));
        if (opts.resolved) continue;
        const owner: UsersSelect = {
          type: "users_select",
          action_id: `${ACTIONS.itemOwner}:${list}:${item.number}`,
          placeholder: { type: "plain_text", text: "Owner" },
        };
        if (item.ownerId) owner.initial_user = item.ownerId;
        const elements: ActionsBlockElement[] = [owner];
        if (item.state === "todo") {
          elements.push(
            button("Done", `${ACTIONS.itemDone}:${list}:${item.number}`, value, "primary"),
            button("N/A…", `${ACTIONS.itemNa}:${list}:${item.number}`, value),
          );
        } else {
          elements.push(button("Reopen", `${ACTIONS.itemReopen}:${list}:${item.number}`, value));
        }
        body.push({ type: "actions", block_id: blockId, elements });
      } else {
        const options: PlainTextOption[] = [
          { text: { type: "plain_text", text: "Assign owner…" }, value: `owner|${value}` },
          item.state === "todo"
            ? { text: { type: "plain_text", text: "Mark done" }, value: `done|${value}` }
            : { text: { type: "plain_text", text: "Reopen" }, value: `reopen|${value}` },
          { text: { type: "plain_text", text: "Mark N/A…" }, value: `na|${value}` },
        ];
        body.push(
          section(itemLine(item), {
            block_id: blockId,
            ...(opts.resolved ? {} : { accessory: { type: "overflow", action_id: `${ACTIONS.itemMenu}:${list}:${item.number}`, options } }),
          }),
        );
      }
    }
  }
  if (compact) {
    body.push({
      type: "actions",
      block_id: `show_all|${list}`,
      elements: [button("Show all steps", ACTIONS.playbookShowAll, `${incidentId}|${list}`)],
    });
  }
  // the fallback names a read-only command (`/incident status` would change the status)
  return capBlocks([...top, ...body], LIMITS.blocksPerMessage, (n) => `…and ${n} more blocks: see \`/incident show all\``);
}

/** The step line's picker: its action id names the list and the step (a users_select carries no value). */
function stepOwnerPicker(list: string, index: number): UsersSelect {
  return {
    type: "users_select",
    action_id: stepOwnerActionId(list, index),
    placeholder: { type: "plain_text", text: "Assign step to…" },
  };
}

/** A collapsed step: its progress, and who owns its items, in one line. */
function stepLine(step: { index: number; title: string; items: ChecklistItemView[] }, target: string | undefined): string {
  const closed = step.items.filter((i) => i.state !== "todo").length;
  const na = step.items.filter((i) => i.state === "na").length;
  const owners = [...new Set(step.items.map((i) => i.ownerId).filter((o): o is string => !!o))];
  const mark = closed === step.items.length ? "✅" : closed > 0 ? "◐" : "⬜";
  const parts = [`${closed}/${step.items.length} done${na ? ` (${na} N/A)` : ""}`];
  if (owners.length)
    parts.push(
      `owners ${owners
        .slice(0, 8)
        .map((o) => `<@${o}>`)
        .join(" ")}`,
    );
  if (target && closed < step.items.length) parts.push(`_${esc(target)}_`);
  return truncate(`${mark} *${step.index}. ${esc(step.title)}* · ${parts.join(" · ")}`, LIMITS.sectionText);
}

function groupBySteps(items: ChecklistItemView[]) {
  const steps: { key: string; title: string; index: number; items: ChecklistItemView[] }[] = [];
  for (const item of items) {
    let step = steps.find((s) => s.key === item.sectionKey);
    if (!step) {
      step = { key: item.sectionKey, title: item.sectionTitle, index: steps.length + 1, items: [] };
      steps.push(step);
    }
    step.items.push(item);
  }
  return steps;
}

export function checklistText(title: string, items: ChecklistItemView[]): string {
  const lines = items.map((i) => `${STATE_MARK[i.state] ?? "⬜"} ${i.number} ${esc(i.text)}${i.ownerId ? ` — <@${i.ownerId}>` : ""}`);
  return truncate(`${esc(title)}\n${lines.join("\n")}`, 3900);
}

/** The model lines of the header: model, alias → version at declaration, and the alert's evidence. */
export function modelHeaderText(m: NonNullable<IncidentView["model"]>): string {
  const lines = [
    `*Model* ${esc(m.name)} · alias \`${esc(m.alias ?? "?")}\` → version ${m.version ? `*${esc(m.version)}*` : "_unknown_"} (when declared)`,
  ];
  if (m.evidence && Object.keys(m.evidence).length) {
    lines.push(`*Evidence* ${evidenceText(m.evidence)}`);
  }
  return truncate(lines.join("\n"), LIMITS.sectionText);
}

/** The alert's evidence in a fixed order. */
export function evidenceText(e: Evidence): string {
  return evidenceEntries(e)
    .map(([k, v]) => `${k} ${esc(v)}`)
    .join(" · ");
}
