import { escKeepMentions } from "../../../blocks/text.js";
import { statsBlocks, statsText } from "../../../blocks/stats.js";
import { parseStatsWindow } from "../../incidents/compute-stats.js";
import { loadStats } from "../../incidents/load-stats.js";
import { reopenIncident } from "../../incidents/reopen-incident.js";
import { completeActionItem } from "../../reviews/complete-action-item.js";
import { draftReview } from "../../reviews/draft-review.js";
import type { SubcommandTable } from "./types.js";
import { incidentRef } from "../../incidents/naming.js";

/** `/incident` subcommands of the reviews area. */
export const reviewsSubcommands: SubcommandTable = {
  review: {
    scope: "incident",
    async run(ctx, req) {
      const { dueDate, created } = await draftReview(ctx, req.incidentId, req.userId);
      return {
        text: `${created ? "Drafting" : "Updating"} the post-incident review of ${incidentRef(req.incidentId)} (due ${dueDate}); it will be posted here with the Markdown file.`,
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
      return { text: r.already ? `That action item was already done.` : `Action item done: ${escKeepMentions(r.text)}` };
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
