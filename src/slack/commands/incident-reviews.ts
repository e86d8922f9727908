import { escKeepMentions } from "../../../blocks/text.js";
import { statsBlocks, statsText } from "../../../blocks/stats.js";
import { parseStatsWindow } from "../../incidents/compute-stats.js";
import { loadStats } from "../../incidents/load-stats.js";
import { reopenIncident } from "../../incidents/reopen-incident.js";
import { completeActionItem } from "../../reviews/complete-action-item.js";
import { draftReview } from "../../reviews/draft-review.js";
import type { SubcommandTable } from "./types.js";
import { incidentRef } from "../../incidents/naming.js";
import { actionItemsText } from "../../../blocks/jira.js";
import { listActionItems } from "../../jira/action-item-view.js";

/** `/incident` subcommands of the reviews area. */
export const reviewsSubcommands: SubcommandTable = {
  review: {
    scope: "incident",
    async run(ctx, req) {
      const { dueDate, created, jiraOwed } = await draftReview(ctx, req.incidentId, req.userId);
      const jira = jiraOwed ? ` ${jiraOwed} action item(s) without a Jira issue are being created in Jira.` : "";
      return {
        text: `${created ? "Drafting" : "Updating"} the post-incident review of ${incidentRef(req.incidentId)} (due ${dueDate}); it will be posted here with the Markdown file.${jira}`,
      };
    },
  },

  reopen: {
    scope: "incident",
    async run(ctx, req) {
      await reopenIncident(ctx, req.incidentId, req.userId, req.args);
      return { text: `${incidentRef(req.incidentId)} reopened; status is investigating and the mitigation clock runs again.` };
    },
  },

  "done-action": {
    scope: "incident",
    async run(ctx, req) {
      const r = await completeActionItem(ctx, req.incidentId, req.userId, req.args);
      // Closing it here leaves its Jira issue as it is: say which one, so it can be closed there too.
      const jira = r.jiraKey ? ` Its Jira issue is ${r.jiraUrl ? `<${r.jiraUrl}|${r.jiraKey}>` : r.jiraKey}.` : "";
      return { text: r.already ? `That action item was already done.${jira}` : `Action item done: ${escKeepMentions(r.text)}.${jira}` };
    },
  },

  actions: {
    scope: "incident",
    async run(ctx, req) {
      const items = await listActionItems(ctx, req.incidentId);
      return { text: actionItemsText(incidentRef(req.incidentId), items) };
    },
  },

  stats: {
    scope: "anywhere",
    async run(ctx, req) {
      const stats = await loadStats(ctx, parseStatsWindow(req.args));
      return { text: statsText(stats), blocks: statsBlocks(stats) };
    },
  },
};
