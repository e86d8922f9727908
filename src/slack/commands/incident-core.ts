import { esc } from "../../../blocks/text.js";
import { incidentHelpText, usageFor } from "../../../blocks/help.js";
import { incidentListBlocks, timelineBlocks } from "../../../blocks/lists.js";
import type { AppContext } from "../../context.js";
import { AppError } from "../../errors.js";
import { acknowledgeIncident } from "../../incidents/acknowledge-incident.js";
import { ACTION_USAGE, addActionItem } from "../../incidents/add-action-item.js";
import { addNote } from "../../incidents/add-note.js";
import { assignRole } from "../../incidents/assign-role.js";
import { completeItem, markItemNa, setItemOwner } from "../../incidents/checklist-items.js";
import { declareIncident } from "../../incidents/declare-incident.js";
import { listOpenIncidents } from "../../incidents/list-incidents.js";
import { setSeverity } from "../../incidents/set-severity.js";
import { setStatus } from "../../incidents/set-status.js";
import { SeveritySchema, StatusSchema } from "../../incidents/types.js";
import { listTimeline } from "../../timeline/list-timeline.js";
import { mentionsIn, parseUser, removeMentions, splitFirst } from "./args.js";
import type { Reply, SubcommandTable } from "./types.js";
import { incidentRef } from "../../incidents/naming.js";
import { recordRootCause } from "../../incidents/record-root-cause.js";
import { loadIncidentLinks } from "../../incidents/incident-links.js";
import { loadIncidentItems } from "../../incidents/incident-checklist.js";
import { fullPlaybook, incidentMessages } from "../work/incident-messages.js";

const usage = (sub: string, message: string) => new AppError("usage", message, usageFor(sub));

/** Parses `[--private] [P1-P4] <title>` in any order of the two flags before the title. */
export function parseDeclareArgs(args: string) {
  let rest = args.trim();
  let isPrivate = false;
  let severity: "P1" | "P2" | "P3" | "P4" = "P2";
  let model: string | null = null;
  for (let i = 0; i < 3; i++) {
    const [first, tail] = splitFirst(rest);
    if (first === "--model") {
      const [name, after] = splitFirst(tail);
      if (!name) throw usage("declare", "`--model` needs the model's name, e.g. `--model lead-scoring`.");
      model = name;
      rest = after;
    } else if (first === "--private") {
      isPrivate = true;
      rest = tail;
    } else if (/^p[1-4]$/i.test(first)) {
      severity = first.toUpperCase() as typeof severity;
      rest = tail;
    }
  }
  if (!rest) throw usage("declare", "Give the incident a title.");
  if (/^--\S+/.test(rest)) throw usage("declare", `Unknown option ${splitFirst(rest)[0]}.`);
  return { isPrivate, severity, title: rest, model: model ?? undefined };
}

export const coreSubcommands: SubcommandTable = {
  help: {
    scope: "anywhere",
    run: async (ctx) => ({
      text: incidentHelpText({ anywhere: ctx.config.oncall ? ["oncall"] : [], inChannel: ctx.config.pagerduty ? ["page"] : [] }),
    }),
  },

  declare: {
    scope: "anywhere",
    async run(ctx, req) {
      const { isPrivate, severity, title, model } = parseDeclareArgs(req.args);
      const { incident, created } = await declareIncident(ctx, {
        title,
        severity,
        isPrivate,
        declaredBy: req.userId,
        source: "command",
        requestKey: `cmd:${req.triggerId}`,
        model,
        category: model ? "model" : undefined,
      });
      return {
        text: created
          ? `🚨 ${incidentRef(incident.id)} declared (${severity}${isPrivate ? ", private" : ""}): ${esc(incident.title)}. Setting up its channel with the pinned playbook; you will be invited.`
          : `${incidentRef(incident.id)} was already declared for this request.`,
      };
    },
  },

  list: {
    scope: "anywhere",
    async run(ctx, req) {
      const incidents = await listOpenIncidents(ctx, req.userId);
      return { text: `${incidents.length} open incident(s)`, blocks: incidentListBlocks(incidents, ctx.clock.now()) };
    },
  },

  ack: {
    scope: "incident",
    async run(ctx, req) {
      const { result } = await acknowledgeIncident(ctx, req.incidentId, req.userId);
      return {
        text: result?.already
          ? `Already acknowledged by <@${result.by}>.`
          : `Acknowledged ${incidentRef(req.incidentId)}. The ack clock is met.`,
      };
    },
  },

  sev: {
    scope: "incident",
    async run(ctx, req) {
      const parsed = SeveritySchema.safeParse(req.args.trim().toUpperCase());
      if (!parsed.success) throw usage("sev", `"${req.args.trim()}" is not a severity; use P1, P2, P3 or P4.`);
      const { result } = await setSeverity(ctx, req.incidentId, req.userId, parsed.data);
      return { text: result ? `Severity set to ${parsed.data}.` : `Severity is already ${parsed.data}.` };
    },
  },

  lead: roleCommand("lead"),
  comms: roleCommand("comms"),

  status: {
    scope: "incident",
    async run(ctx, req) {
      const [value, rest] = splitFirst(req.args);
      const parsed = StatusSchema.safeParse(value.toLowerCase());
      if (!parsed.success) {
        throw usage("status", `"${value}" is not a status; use investigating, identified, mitigated or resolved.`);
      }
      const { result } = await setStatus(ctx, req.incidentId, req.userId, parsed.data, rest || undefined);
      return { text: result ? `Status set to ${parsed.data}.` : `Status is already ${parsed.data}.` };
    },
  },

  resolve: {
    scope: "incident",
    async run(ctx, req) {
      await setStatus(ctx, req.incidentId, req.userId, "resolved", req.args || undefined);
      return { text: `${incidentRef(req.incidentId)} resolved. The review draft is being prepared.` };
    },
  },

  note: {
    scope: "incident",
    async run(ctx, req) {
      if (!req.args.trim()) throw usage("note", "A note needs some text.");
      await addNote(ctx, req.incidentId, req.userId, req.args);
      return { text: "Added to the timeline." };
    },
  },

  cause: {
    scope: "incident",
    async run(ctx, req) {
      if (!req.args.trim())
        throw usage("cause", "A root cause needs some text, e.g. `/incident cause feature store served stale embeddings`.");
      const { result } = await recordRootCause(ctx, req.incidentId, req.userId, req.args);
      return {
        text: result
          ? "Root cause recorded: it is on the timeline and in the review's ROOT CAUSE."
          : "That root cause is already recorded.",
      };
    },
  },

  show: {
    scope: "incident",
    async run(ctx, req) {
      // The same message the render job pins, shown only to whoever asked (replies are ephemeral).
      const inc = await ctx.prisma.incident.findUniqueOrThrow({ where: { id: req.incidentId } });
      if (req.args.trim() === "all") {
        const all = await fullPlaybook(ctx, inc); // `show all`: every playbook step with its controls
        return { text: all.text, blocks: all.blocks as Reply["blocks"] };
      }
      const { text, blocks } = await incidentMessages(ctx).header(
        inc,
        await loadIncidentLinks(ctx, inc.id),
        await loadIncidentItems(ctx.prisma, inc.id, "playbook"),
      );
      return { text, blocks: blocks as Reply["blocks"] };
    },
  },

  owner: {
    scope: "incident",
    async run(ctx, req) {
      const [number, rest] = splitFirst(req.args);
      const owner = parseUser(rest);
      if (!number || !owner) throw usage("owner", "Name the item and mention its owner, e.g. `/incident owner 3.1 @dana`.");
      await setItemOwner(ctx, req.incidentId, req.userId, number, owner);
      return { text: `Item ${number} is owned by <@${owner}>.` };
    },
  },

  done: {
    scope: "incident",
    async run(ctx, req) {
      const number = req.args.trim();
      if (!number) throw usage("done", "Name the item, e.g. `/incident done 3.1`.");
      const { result } = await completeItem(ctx, req.incidentId, req.userId, number);
      return { text: result === "already" ? `Item ${number} was already done.` : `Item ${number} marked done.` };
    },
  },

  na: {
    scope: "incident",
    async run(ctx, req) {
      const [number, why] = splitFirst(req.args);
      if (!number) throw usage("na", "Name the item and say why it does not apply.");
      if (!why) throw usage("na", `Item ${number} needs a justification to be marked N/A.`);
      await markItemNa(ctx, req.incidentId, req.userId, number, why);
      return { text: `Item ${number} marked N/A.` };
    },
  },

  action: {
    scope: "incident",
    async run(ctx, req) {
      const owners = mentionsIn(req.args);
      if (owners.length !== 1) {
        throw new AppError("usage", "An action item needs exactly one owner (mention them).", ACTION_USAGE);
      }
      let text = removeMentions(req.args);
      let dueDate: string | null = null;
      const due = /\s*\bdue\s+(\S+)\s*$/i.exec(text);
      if (due) {
        dueDate = due[1]!;
        text = text.slice(0, due.index).trim();
      }
      const { result } = await addActionItem(ctx, req.incidentId, req.userId, { text, ownerId: owners[0]!, dueDate });
      const jira = result!.jira ? ` It becomes a Jira issue in ${ctx.config.jira!.projectKey}; its key is posted here.` : "";
      return { text: `Action item #${result!.id} added for <@${owners[0]}>${dueDate ? `, due ${dueDate}` : ""}.${jira}` };
    },
  },

  timeline: {
    scope: "incident",
    async run(ctx, req) {
      const events = await listTimeline(ctx, req.incidentId);
      return { text: `Timeline of ${incidentRef(req.incidentId)}`, blocks: timelineBlocks(req.incidentId, events, ctx.config.timezone) };
    },
  },
};

function roleCommand(role: "lead" | "comms") {
  return {
    scope: "incident" as const,
    async run(ctx: AppContext, req: { incidentId: number; userId: string; args: string }) {
      const user = parseUser(req.args);
      if (!user) throw usage(role, `Mention who should be the ${role === "lead" ? "incident lead" : "comms owner"}.`);
      await assignRole(ctx, req.incidentId, req.userId, role, user);
      return { text: `${role === "lead" ? "Lead" : "Comms owner"} set to <@${user}>.` };
    },
  };
}
