/**
 * Usage texts of `/gate`, shown by `help` and after a wrong argument. One source for both; they live in the
 * domain because use cases attach them to their AppErrors (blocks/gate-help.ts lists them for help).
 */
export const GATE_USAGE: Record<string, string> = {
  templates: "`/gate templates` — the checklist templates a gate can be opened from",
  open: "`/gate open <template> <subject…> [--override <justification>]` — open a gate, e.g. `/gate open shadow lead-scoring v2`",
  list: "`/gate list` — open gates with their progress",
  status: "`/gate status <gate>` — every item of a gate (gates are `G-12`, `g-12` or `12`)",
  owner: "`/gate owner <gate> <item> <@user>` — give an item an owner (items are numbered like 2.1)",
  done: "`/gate done <gate> <item>` — mark an item done (a measured item needs a passing value first)",
  na: "`/gate na <gate> <item> <justification>` — mark an item not applicable, saying why",
  record: "`/gate record <gate> <item> <value>` — record a measured value, e.g. `/gate record G-12 2.1 180ms`",
  approve: "`/gate approve <gate>` — pass the gate (every item done or N/A, every item owned, approver owns none)",
  reopen: "`/gate reopen <gate> <reason>` — unfreeze an approved gate",
  "assign-all": "`/gate assign-all <gate> <@user>` — give every unowned item this owner",
  export: "`/gate export <gate>` — the gate as a Markdown file",
  samplesize: "`/gate samplesize <baseline rate> <expected rate> [confidence] [power]` — leads per group, e.g. `/gate samplesize 10% 12%`",
  ab: "`/gate ab <control conversions> <control total> <treatment conversions> <treatment total>` — A/B decision, e.g. `/gate ab 450 5000 510 5000`",
  help: "`/gate help` — this help",
};

/** One subcommand's usage line, as an AppError carries it. */
export const gateUsageFor = (sub: string) => (GATE_USAGE[sub] ? `Usage: ${GATE_USAGE[sub]}` : undefined);
