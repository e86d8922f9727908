import { onCallListText } from "../../../blocks/outreach.js";
import { AppError } from "../../errors.js";
import { whoIsOnCall } from "../../oncall/who-is-on-call.js";
import { PAGE_USAGE, pageOnDemand } from "../../paging/page-on-demand.js";
import { parseUser, splitFirst } from "./args.js";
import type { SubcommandTable } from "./types.js";

// A PagerDuty schedule id (P + 6 upper-case letters / digits, e.g. PABC123).
const SCHEDULE_ID = /^P[A-Z0-9]{5,}$/;

/** `/incident` subcommands that reach people beyond the channel (issue 16): paging and who is on call. */
export const outreachSubcommands: SubcommandTable = {
  oncall: {
    scope: "anywhere",
    async run(ctx) {
      if (!ctx.config.oncall) {
        throw new AppError(
          "invalid",
          "On-call lookup is not set up: set PAGERDUTY_API_TOKEN and PAGERDUTY_SCHEDULE_IDS (README, Reaching people beyond the channel).",
        );
      }
      const found = await whoIsOnCall(ctx);
      if (!found.ok) return { text: `Could not look up who is on call: ${found.error}.` };
      return { text: onCallListText(found.people) };
    },
  },
  page: {
    scope: "incident",
    async run(ctx, req) {
      if (!ctx.config.pagerduty) {
        throw new AppError("invalid", "Paging is not set up here: set PAGERDUTY_ROUTING_KEY (README, Reaching people beyond the channel).");
      }
      const [first, rest] = splitFirst(req.args);
      const user = parseUser(first);
      const target = user ? `<@${user}>` : SCHEDULE_ID.test(first) ? `schedule ${first}` : null;
      const message = target ? rest : req.args;
      if (!message.trim()) throw new AppError("usage", "Say why you are paging.", `Usage: ${PAGE_USAGE}`);
      await pageOnDemand(ctx, req.incidentId, req.userId, { target: user ? `Slack user ${user}` : target, message });
      return { text: `Paging the on-call through PagerDuty${target ? ` for ${target}` : ""}. The channel is told when PagerDuty has it.` };
    },
  },
};
