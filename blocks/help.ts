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

export const ANYWHERE = [
  "declare",
  "models",
  "list",
  "alerts",
  "silence",
  "silences",
  "unsilence",
  "roles",
  "stats",
  "maintenance",
  "help",
];
export const IN_CHANNEL = [
  "ack",
  "model",
  "rollback",
  "sev",
  "lead",
  "comms",
  "show",
  "status",
  "cause",
  "resolve",
  "update",
  "note",
  "reopen",
  "owner",
  "done",
  "na",
  "action",
  "timeline",
  "review",
  "user-facing",
  "summary",
  "statuspage",
  "done-action",
  "actions",
];

/** `optional`: subcommands of integrations that are set up (off and invisible otherwise). */
export function incidentHelpText(optional: { anywhere?: string[]; inChannel?: string[] } = {}): string {
  return [
    "*/incident* — run incidents from Slack. `/incident` alone opens the declare form.",
    "*Anywhere*",
    ...[...ANYWHERE, ...(optional.anywhere ?? [])].map((k) => `• ${INCIDENT_USAGE[k]}`),
    "*Inside an incident channel*",
    ...[...IN_CHANNEL, ...(optional.inChannel ?? [])].map((k) => `• ${INCIDENT_USAGE[k]}`),
  ].join("\n");
}

export const usageFor = (sub: string) => (INCIDENT_USAGE[sub] ? `Usage: ${INCIDENT_USAGE[sub]}` : undefined);
