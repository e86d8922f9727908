import { gateHelpText, gateUsageFor } from "../../../blocks/gate-help.js";
import {
  abResultText,
  gateFallbackText,
  gateListBlocks,
  gateStatusBlocks,
  sampleSizeText,
  templateListBlocks,
} from "../../../blocks/gate.js";
import { esc, section, truncate } from "../../../blocks/text.js";
import { AppError } from "../../errors.js";
import { approveGate } from "../../gates/approve-gate.js";
import { assignAll } from "../../gates/assign-all.js";
import { completeGateItem } from "../../gates/complete-gate-item.js";
import { exportGate } from "../../gates/export-gate.js";
import { gateRef, parseGateRef } from "../../gates/gate-ref.js";
import { loadGateView } from "../../gates/gate-view.js";
import { listOpenGates } from "../../gates/list-gates.js";
import { markGateItemNa } from "../../gates/mark-gate-item-na.js";
import { openGate } from "../../gates/open-gate.js";
import { gateProgress, progressLine } from "../../gates/progress.js";
import { recordMeasuredValue } from "../../gates/record-measured-value.js";
import { reopenGate } from "../../gates/reopen-gate.js";
import { setGateItemOwner } from "../../gates/set-gate-item-owner.js";
import { abTest, sampleSizePerGroup } from "../../gates/stats.js";
import { allTemplates } from "../../gates/template-registry.js";
import { parseUser, splitFirst } from "./args.js";
import type { SubcommandTable } from "./types.js";
import { resolveMentions } from "../work/resolve-mentions.js";

const usage = (sub: string, message: string) => new AppError("usage", message, gateUsageFor(sub));

/** Splits args into whitespace-separated words. */
const words = (args: string) => args.trim().split(/\s+/).filter(Boolean);

/** `<gate>` then the rest: the gate must be given and well formed. */
function gateAndRest(sub: string, args: string): [number, string] {
  const [first, rest] = splitFirst(args);
  if (!first) throw usage(sub, "Name the gate, e.g. G-12.");
  return [parseGateRef(first, gateUsageFor(sub)), rest];
}

function gateItemRest(sub: string, args: string): [number, string, string] {
  const [gateId, rest] = gateAndRest(sub, args);
  const [item, tail] = splitFirst(rest);
  if (!item) throw usage(sub, `Name the item of ${gateRef(gateId)}, e.g. 1.2.`);
  return [gateId, item, tail];
}

function userArg(sub: string, token: string | undefined): string {
  const user = token ? parseUser(token) : null;
  if (!user) throw usage(sub, token ? `"${token}" is not a user; mention them like @maria.` : "Mention the owner, e.g. @maria.");
  return user;
}

/** `0.10`, `10%` → 0.10; a bare number above 1 is read as percent (`10` → 0.10) since a rate cannot exceed 1. */
export function parseRate(sub: string, name: string, text: string | undefined): number {
  const t = (text ?? "").trim();
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(t);
  if (!m) throw usage(sub, t ? `${name} "${t}" is not a rate; write it as 0.10 or 10%.` : `Give the ${name}.`);
  const n = Number(m[1]);
  const rate = m[2] === "%" || n > 1 ? n / 100 : n;
  if (!(rate > 0 && rate < 1)) throw usage(sub, `${name} must be between 0 and 100% (exclusive), got ${t}.`);
  return rate;
}

function parseCount(sub: string, name: string, text: string | undefined): number {
  const t = (text ?? "").trim().replaceAll(",", "");
  if (!/^\d{1,12}$/.test(t)) throw usage(sub, t ? `${name} "${text}" is not a whole number.` : `Give the ${name}.`);
  return Number(t);
}

export const gateSubcommands: SubcommandTable = {
  help: { scope: "anywhere", run: async () => ({ text: gateHelpText() }) },

  templates: {
    scope: "anywhere",
    async run() {
      const templates = allTemplates();
      return {
        text: `${templates.length} gate templates: ${templates.map((t) => t.id).join(", ")}`,
        blocks: templateListBlocks(templates),
      };
    },
  },

  open: {
    scope: "anywhere",
    async run(ctx, req) {
      const [templateId, rest] = splitFirst(req.args);
      if (!templateId) throw usage("open", "Name the template and the subject, e.g. `/gate open shadow lead-scoring v2`.");
      const at = rest.search(/(^|\s)--override(\s|$)/);
      const subject = at < 0 ? rest : rest.slice(0, at);
      const override =
        at < 0
          ? undefined
          : rest
              .slice(at)
              .replace(/^\s*--override/, "")
              .trim();
      const unknownFlag = /(^|\s)(--\S+)/.exec(subject);
      if (unknownFlag) throw usage("open", `Unknown option ${unknownFlag[2]}; the only option is --override <justification>.`);
      const { gate, created } = await openGate(ctx, {
        templateId,
        subject,
        override,
        channelId: req.channelId,
        openedBy: req.userId,
        requestKey: `cmd:${req.triggerId}`,
      });
      const ref = gateRef(gate.id);
      return {
        text: created
          ? `✅ ${ref} opened: ${esc(gate.title)} — ${esc(gate.subject)} (${gate.items.length} items${gate.overrideReason ? `, opened out of order: ${esc(gate.overrideReason)}` : ""}). The gate message is being posted here; give every item an owner.`
          : `${ref} was already opened for this request.`,
      };
    },
  },

  list: {
    scope: "anywhere",
    async run(ctx) {
      const gates = await listOpenGates(ctx);
      return { text: `${gates.length} open gate(s)`, blocks: gateListBlocks(gates) };
    },
  },

  status: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, rest] = gateAndRest("status", req.args);
      if (rest) throw usage("status", `Unexpected "${rest}" after the gate.`);
      const gate = await loadGateView(ctx.prisma, gateId);
      return { text: gateFallbackText(gate), blocks: gateStatusBlocks(gate, ctx.config.timezone) };
    },
  },

  owner: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, item, rest] = gateItemRest("owner", req.args);
      const w = words(rest);
      if (w.length > 1) throw usage("owner", "Give one owner per item.");
      const owner = userArg("owner", w[0]);
      const { result } = await setGateItemOwner(ctx, gateId, req.userId, item, owner);
      return {
        text: `${gateRef(gateId)} ${result!.item.number} ${esc(result!.item.text)}: owner <@${owner}>${result!.changed ? "" : " (already)"}.`,
      };
    },
  },

  done: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, item, rest] = gateItemRest("done", req.args);
      if (rest) throw usage("done", `Unexpected "${rest}" after the item.`);
      const { result, gate } = await completeGateItem(ctx, gateId, req.userId, item);
      const p = progressLine(gateProgress(gate.items));
      return { text: `${gateRef(gateId)} ${result!.item.number} ${result!.already ? "was already done" : "done"}. ${p}.` };
    },
  },

  na: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, item, why] = gateItemRest("na", req.args);
      const { result } = await markGateItemNa(ctx, gateId, req.userId, item, why);
      return { text: `${gateRef(gateId)} ${result!.item.number} marked N/A: ${esc(why.trim())}` };
    },
  },

  record: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, item, value] = gateItemRest("record", req.args);
      if (!value) throw usage("record", "Give the measured value, e.g. 180ms.");
      const { result } = await recordMeasuredValue(ctx, gateId, req.userId, item, value);
      const r = result!;
      return {
        text: r.passing
          ? `✅ ${gateRef(gateId)} ${r.item.number}: ${r.text}. Mark it done with \`/gate done ${gateRef(gateId)} ${r.item.number}\`.`
          : `❌ ${gateRef(gateId)} ${r.item.number}: ${r.text}. This blocks the gate until a passing value is recorded${r.reopened ? "; the item is no longer done" : ""}.`,
      };
    },
  },

  approve: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, rest] = gateAndRest("approve", req.args);
      if (rest) throw usage("approve", `Unexpected "${rest}" after the gate.`);
      const { gate } = await approveGate(ctx, gateId, req.userId);
      return { text: `✅ ${gateRef(gateId)} approved: ${esc(gate.title)} — ${esc(gate.subject)} has passed. It is frozen now.` };
    },
  },

  reopen: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, reason] = gateAndRest("reopen", req.args);
      await reopenGate(ctx, gateId, req.userId, reason);
      return { text: `${gateRef(gateId)} reopened: ${esc(reason.trim())}. It needs a new approval.` };
    },
  },

  "assign-all": {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, rest] = gateAndRest("assign-all", req.args);
      const w = words(rest);
      if (w.length > 1) throw usage("assign-all", "Give exactly one owner.");
      const owner = userArg("assign-all", w[0]);
      const { result } = await assignAll(ctx, gateId, req.userId, owner);
      const n = result!.numbers.length;
      return {
        text: n
          ? `${gateRef(gateId)}: <@${owner}> now owns ${n} item${n === 1 ? "" : "s"} (${result!.numbers.join(", ")}).`
          : `${gateRef(gateId)}: every item has an owner already.`,
      };
    },
  },

  export: {
    scope: "anywhere",
    async run(ctx, req) {
      const [gateId, rest] = gateAndRest("export", req.args);
      if (rest) throw usage("export", `Unexpected "${rest}" after the gate.`);
      // Names, not ids, in the preview too: Slack shows a code block's text as it is (users.info is cached).
      const markdown = await resolveMentions(ctx.chat, (await exportGate(ctx, gateId, req.userId, req.channelId)).markdown);
      const shown = truncate(markdown, 2800);
      const cut = shown.length < markdown.length ? "\n_(cut short here: the uploaded file has every item)_" : "";
      return {
        text: truncate(`Export of ${gateRef(gateId)} (the Markdown file is being uploaded here):\n${markdown}`, 3900),
        blocks: [
          section(`📄 Export of *${gateRef(gateId)}*; the Markdown file is being uploaded to this channel.`),
          section(`\`\`\`${shown}\`\`\`${cut}`),
        ],
      };
    },
  },

  samplesize: {
    scope: "anywhere",
    async run(_ctx, req) {
      const w = words(req.args);
      if (w.length < 2 || w.length > 4)
        throw usage("samplesize", "Give the baseline rate and the expected rate (and optionally confidence and power).");
      const baseline = parseRate("samplesize", "baseline rate", w[0]);
      const expected = parseRate("samplesize", "expected rate", w[1]);
      const confidence = w[2] ? parseRate("samplesize", "confidence", w[2]) : 0.95;
      const power = w[3] ? parseRate("samplesize", "power", w[3]) : 0.8;
      if (baseline === expected) throw usage("samplesize", "The expected rate must differ from the baseline rate.");
      const n = sampleSizePerGroup(baseline, expected, confidence, power);
      return { text: sampleSizeText(n, { baseline, expected, confidence, power }) };
    },
  },

  ab: {
    scope: "anywhere",
    async run(_ctx, req) {
      const w = words(req.args);
      if (w.length !== 4) throw usage("ab", `Give four whole numbers (got ${w.length}).`);
      const [cConv, cTotal, tConv, tTotal] = [
        parseCount("ab", "control conversions", w[0]),
        parseCount("ab", "control total", w[1]),
        parseCount("ab", "treatment conversions", w[2]),
        parseCount("ab", "treatment total", w[3]),
      ];
      let result;
      try {
        result = abTest(cConv!, cTotal!, tConv!, tTotal!);
      } catch (e) {
        if (e instanceof RangeError) throw usage("ab", `${e.message}.`);
        throw e;
      }
      return { text: abResultText(result, { cConv: cConv!, cTotal: cTotal!, tConv: tConv!, tTotal: tTotal! }) };
    },
  },
};
