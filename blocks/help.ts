/** Usage texts shown by `help` and after a wrong argument. One source for both. */
export const INCIDENT_USAGE: Record<string, string> = {
  declare: "`/incident declare [--private] [P1|P2|P3|P4] [--model <name>] <title>` — declare at once (default P2)",
  models: "`/incident models` — the model catalog: alias → version in the registry and what health reports",
  model: "`/incident model` — this incident's model: alias → version, versions before it, health now",
  rollback: "`/incident rollback [to <version>]` — move the model's alias back (confirm first), then verify /health",
  list: "`/incident list` — open incidents",
  alerts: "`/incident alerts` — recent alerts that opened no incident",
  silence: "`/incident silence <label=value,…> <duration like 2h> <reason>` — keep matching alerts from opening incidents",
  silences: "`/incident silences` — active silences",
  unsilence: "`/incident unsilence <id>` — lift a silence",
  roles:
    "`/incident roles [<role> <@user>]` — show or set the role directory (ml-lead, mlops-engineer, data-engineer, sales-lead, product-manager)",
  stats: "`/incident stats [7d|30d|90d]` — MTTA, MTTR, time to mitigate, counts, clock breaches",
  ack: "`/incident ack` — acknowledge (meets the ack clock)",
  sev: "`/incident sev P1|P2|P3|P4` — change severity",
  lead: "`/incident lead <@user>` — set the incident lead",
  comms: "`/incident comms <@user>` — set the comms owner",
  status:
    "`/incident status investigating|identified [cause]|mitigated|resolved` — change status (text after identified is the root cause)",
  cause: "`/incident cause <text>` — record the root cause (timeline, review's ROOT CAUSE)",
  show: "`/incident show [all]` — show the current header to you only (read-only); `all`: every playbook step in full",
  resolve: "`/incident resolve [summary]` — resolve (stops the clocks, drafts the review)",
  update: "`/incident update <text>` — post a stakeholder update",
  note: "`/incident note <text>` — add a timeline entry",
  reopen: "`/incident reopen <reason>` — reopen a resolved incident",
  owner: "`/incident owner <item> <@user>` — give a playbook item an owner (items are numbered like 3.1)",
  done: "`/incident done <item>` — mark a playbook item done",
  na: "`/incident na <item> <justification>` — mark a playbook item not applicable",
  action: "`/incident action <text> <@user> [due YYYY-MM-DD]` — add a post-incident action item",
  timeline: "`/incident timeline` — the incident's timeline",
  review: "`/incident review` — draft the post-incident review",
  "user-facing": "`/incident user-facing on|off` — mark end-user impact (starts the status-page clock)",
  summary: "`/incident summary [--preview]` — send the leadership summary (`--preview` shows it first, sends nothing)",
  statuspage:
    "`/incident statuspage <text>` — preview a public status-page update, then Publish / Edit (also `statuspage status <s>`, `component <id> <s>`, `name <public name>`)",
  maintenance:
    '`/incident maintenance schedule <YYYY-MM-DD> <HH:MM> for <2h> "<public title>" [components <id>,…]` — preview scheduled maintenance for the status page, then Publish (also `maintenance list`, `complete <id>`, `cancel <id>`)',
  help: "`/incident help` — this help",
  "done-action": "`/incident done-action <id>` — close a post-incident action item (#id)",
  actions: "`/incident actions` — the action items, with their Jira issues",
  // Shown only when its integration is set up (incidentHelpText's `optional`).
  oncall: "`/incident oncall` — who is on call now (PagerDuty schedules)",
  page: "`/incident page [<@U…>|<schedule id>] <message>` — page the on-call through PagerDuty",
};

/** The help's groups, in the order of an incident's life; `where` says where the subcommands work. */
export const HELP_GROUPS: { title: string; where: "anywhere" | "in the incident channel"; subcommands: string[] }[] = [
  { title: "Declare and look around", where: "anywhere", subcommands: ["declare", "list", "roles", "alerts", "models", "stats", "help"] },
  {
    title: "During the incident",
    where: "in the incident channel",
    subcommands: ["ack", "lead", "comms", "sev", "status", "cause", "show", "owner", "done", "na", "note", "timeline", "model", "rollback"],
  },
  { title: "Communicate", where: "in the incident channel", subcommands: ["update", "statuspage", "user-facing", "summary"] },
  { title: "After", where: "in the incident channel", subcommands: ["resolve", "review", "action", "done-action", "actions", "reopen"] },
  { title: "Alert noise", where: "anywhere", subcommands: ["silence", "silences", "unsilence"] },
  { title: "Planned work", where: "anywhere", subcommands: ["maintenance"] },
];

/** Where each optional integration's subcommand goes when it is set up (incidentHelpText's `optional`). */
const OPTIONAL_GROUP: Record<string, string> = { oncall: "Declare and look around", page: "During the incident" };

export const ANYWHERE = HELP_GROUPS.filter((g) => g.where === "anywhere").flatMap((g) => g.subcommands);
export const IN_CHANNEL = HELP_GROUPS.filter((g) => g.where !== "anywhere").flatMap((g) => g.subcommands);

/** The four steps a newcomer needs; everything else is in the groups below it. */
const START_HERE = [
  "*Start here*",
  "1. `/incident declare P1 <title>` (or `/incident` alone for a form) opens `#inc-…` with a pinned header and playbook, and starts the clocks",
  "2. In that channel: `/incident ack`, then `/incident lead @you`",
  "3. Work through the pinned playbook: give items owners, press *Done* (or `/incident done 1.1`)",
  "4. `/incident resolve <summary>` when it is over; the post-incident review draft follows",
];

/** `optional`: subcommands of integrations that are set up (off and invisible otherwise). */
export function incidentHelpText(optional: { anywhere?: string[]; inChannel?: string[] } = {}): string {
  const extra = [...(optional.anywhere ?? []), ...(optional.inChannel ?? [])];
  const groups = HELP_GROUPS.map((g) => {
    const subs = [...g.subcommands, ...extra.filter((k) => OPTIONAL_GROUP[k] === g.title)];
    return [`*${g.title}* (${g.where})`, ...subs.map((k) => `• ${INCIDENT_USAGE[k]}`)].join("\n");
  });
  return [
    "*/incident* — run incidents from Slack.",
    START_HERE.join("\n"),
    ...groups,
    "*Release gates*: `/gate help` (open a gate from a checklist template, give items owners, approve).",
  ].join("\n\n");
}

export const usageFor = (sub: string) => (INCIDENT_USAGE[sub] ? `Usage: ${INCIDENT_USAGE[sub]}` : undefined);
