import { usageFor } from "../../../blocks/help.js";
import { postStakeholderUpdate } from "../../clocks/post-stakeholder-update.js";
import { listRoles, ROLES_USAGE, rolesText, setRole } from "../../clocks/role-directory.js";
import { sendLeadershipSummary } from "../../clocks/send-leadership-summary.js";
import { setUserFacing } from "../../clocks/set-user-facing.js";
import { maintenanceListText, maintenancePreviewMessage, statusPreviewMessage } from "../../../blocks/status-page.js";
import { MAINTENANCE_USAGE } from "../../status/maintenance.js";
import { scheduleMaintenance } from "../../status/schedule-maintenance.js";
import { endMaintenance, parseMaintenanceId } from "../../status/end-maintenance.js";
import { listMaintenance } from "../../status/list-maintenance.js";
import { draftStatusUpdate, STATUSPAGE_USAGE } from "../../status/draft-status-update.js";
import { setPublicComponent, setPublicName, setPublicStatus } from "../../status/set-public-impact.js";
import { loadStatusPreview } from "../../status/status-preview.js";
import { AppError } from "../../errors.js";
import { contactRoleNames } from "../../playbooks/escalation.js";
import { parseUser, splitFirst } from "./args.js";
import type { SubcommandTable } from "./types.js";
import { incidentRef } from "../../incidents/naming.js";
import { previewLeadershipMail } from "../../mail/send-incident-mail.js";
import { summaryPreviewReply } from "../../../blocks/outreach.js";

const timeIn = (d: Date, tz: string) => new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: tz }).format(d);

/** `/incident` subcommands of the clocks area: stakeholder updates, status page, leadership summary, roles. */
export const clocksSubcommands: SubcommandTable = {
  update: {
    scope: "incident",
    async run(ctx, req) {
      const { result } = await postStakeholderUpdate(ctx, req.incidentId, req.userId, req.args);
      const where = result!.stakeholderChannel
        ? `<#${result!.stakeholderChannel}> and this channel`
        : "this channel (set STAKEHOLDER_CHANNEL_ID to reach stakeholders too)";
      const emailed = result!.emailedTo.length ? ` Also emailed to ${result!.emailedTo.join(", ")}.` : "";
      return {
        text: `Update posted to ${where}. Next update due by ${timeIn(result!.nextUpdateAt, ctx.config.timezone)} ${ctx.config.timezone}.${emailed}`,
      };
    },
  },

  "user-facing": {
    scope: "incident",
    async run(ctx, req) {
      const value = req.args.trim().toLowerCase();
      if (value !== "on" && value !== "off") {
        throw new AppError("usage", `Say \`on\` or \`off\`${value ? `, not "${req.args.trim()}"` : ""}.`, usageFor("user-facing"));
      }
      const { result } = await setUserFacing(ctx, req.incidentId, req.userId, value === "on");
      if (!result) return { text: `${incidentRef(req.incidentId)} is already ${value === "on" ? "" : "not "}user-facing.` };
      return {
        text:
          value === "on"
            ? "Marked user-facing: the status-page clock is running. Record the public status with `/incident statuspage <text>`."
            : "Marked not user-facing: the status-page clock is stopped.",
      };
    },
  },

  statuspage: {
    scope: "incident",
    async run(ctx, req) {
      const args = req.args.trim();
      if (!args) throw new AppError("usage", "Give the status-page text end users will read.", STATUSPAGE_USAGE);
      const words = args.split(/\s+/);
      const later = "It shows on the page with the next update you publish (`/incident statuspage <text>`).";
      // `status <one word>` and `component <id> <status>` set what the next update carries; any other text is an update.
      if (words[0]!.toLowerCase() === "status" && words.length === 2) {
        const status = await setPublicStatus(ctx, req.incidentId, req.userId, words[1]!);
        return { text: `Public status: *${status}*. ${later}` };
      }
      if (words[0]!.toLowerCase() === "component" && words.length <= 3) {
        const c = await setPublicComponent(ctx, req.incidentId, req.userId, words[1] ?? "", words[2] ?? "");
        return { text: `${c.name} (\`${c.id}\`): *${c.status}*. ${later}` };
      }
      if (words[0]!.toLowerCase() === "name" && words.length > 1) {
        const name = await setPublicName(ctx, req.incidentId, req.userId, args.slice(4));
        return { text: `Public name: “${name}”. ${later}` };
      }
      const draftId = await draftStatusUpdate(ctx, req.incidentId, req.userId, args);
      const preview = await loadStatusPreview(ctx, draftId);
      const msg = statusPreviewMessage(preview, ctx.config.statusPage.publicUrl);
      return { text: msg.text, blocks: msg.blocks };
    },
  },

  maintenance: {
    scope: "anywhere",
    async run(ctx, req) {
      const [verb, rest] = splitFirst(req.args);
      switch (verb.toLowerCase()) {
        case "schedule": {
          const preview = await scheduleMaintenance(ctx, req.userId, rest);
          const msg = maintenancePreviewMessage(preview, ctx.config.statusPage.publicUrl);
          return { text: msg.text, blocks: msg.blocks };
        }
        case "list":
          return { text: maintenanceListText(await listMaintenance(ctx), ctx.config.timezone) };
        case "complete":
        case "cancel": {
          const how = verb.toLowerCase() as "complete" | "cancel";
          const id = parseMaintenanceId(rest, how);
          const { name } = await endMaintenance(ctx, id, req.userId, how);
          return {
            text:
              how === "complete"
                ? `Maintenance #${id} “${name}” is completed; its components are back to operational on the status page.`
                : `Maintenance #${id} “${name}” is cancelled and off the status page.`,
          };
        }
        default:
          throw new AppError(
            "usage",
            verb ? `There is no \`maintenance ${verb}\`.` : "Say what to do with maintenance.",
            MAINTENANCE_USAGE,
          );
      }
    },
  },

  summary: {
    scope: "incident",
    async run(ctx, req) {
      const flag = req.args.trim();
      if (flag === "--preview") {
        const preview = await previewLeadershipMail(ctx, req.incidentId);
        if (!preview) throw new AppError("not_found", `${incidentRef(req.incidentId)} does not exist.`);
        return summaryPreviewReply(preview.mail, preview.to, ctx.config.stakeholderChannelId ?? null);
      }
      if (flag) throw new AppError("usage", `\`summary\` takes only \`--preview\`, not "${flag}".`, usageFor("summary"));
      const { result } = await sendLeadershipSummary(ctx, req.incidentId, req.userId);
      const emailed = result?.emailedTo.length ? ` Also emailed to ${result.emailedTo.join(", ")}.` : "";
      if (result?.channel) return { text: `Leadership summary sent to <#${result.channel}>.${emailed}` };
      return {
        text: `STAKEHOLDER_CHANNEL_ID is not set, so the leadership summary was posted in this incident channel instead. Set STAKEHOLDER_CHANNEL_ID to the stakeholder channel's ID (like C123ABC) to send it there.${emailed}`,
      };
    },
  },

  roles: {
    scope: "anywhere",
    async run(ctx, req) {
      const [role, rest] = splitFirst(req.args);
      if (!role) return { text: rolesText(await listRoles(ctx.prisma)) };
      const user = parseUser(rest);
      if (!user) throw new AppError("usage", `Mention who should be ${role}.`, ROLES_USAGE);
      const set = await setRole(ctx, role, user, req.userId);
      return { text: `${contactRoleNames[set]} (\`${set}\`) is now <@${user}>.` };
    },
  },
};
