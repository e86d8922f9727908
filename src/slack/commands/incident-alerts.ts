import { esc } from "../../../blocks/text.js";
import { unincidentedAlertsBlocks } from "../../../blocks/alerts.js";
import { usageFor } from "../../../blocks/help.js";
import { toAlertView } from "../../alerts/alert-view.js";
import { createSilence, liftSilence, listActiveSilences, parseSilenceRef, silenceRef } from "../../alerts/silences.js";
import { AppError } from "../../errors.js";
import type { SubcommandTable } from "./types.js";

const usage = (sub: string, message: string) => new AppError("usage", message, usageFor(sub));

/** `/incident` subcommands of the alerts area. */
export const alertsSubcommands: SubcommandTable = {
  alerts: {
    scope: "anywhere",
    async run(ctx, req) {
      if (req.args.trim()) throw usage("alerts", "`alerts` takes no arguments.");
      const rows = await ctx.prisma.alert.findMany({ where: { incidentId: null }, orderBy: { lastSeenAt: "desc" }, take: 25 });
      return {
        text: `${rows.length} recent alert(s) without an incident`,
        blocks: unincidentedAlertsBlocks(rows.map((r) => toAlertView(r))),
      };
    },
  },
  silence: {
    scope: "anywhere",
    async run(ctx, req) {
      const s = await createSilence(ctx, req.userId, req.args);
      return {
        text: `🔕 ${silenceRef(s.id)} silences \`${esc(s.matcherText)}\` until <!date^${Math.floor(s.endsAt.getTime() / 1000)}^{date_short_pretty} {time}|${s.endsAt.toISOString()}>: ${esc(s.reason)}`,
      };
    },
  },
  silences: {
    scope: "anywhere",
    async run(ctx, req) {
      if (req.args.trim()) throw usage("silences", "`silences` takes no arguments.");
      const rows = await listActiveSilences(ctx);
      if (rows.length === 0) return { text: "No active silences." };
      const lines = rows.map(
        (s) =>
          `• *${silenceRef(s.id)}* \`${esc(s.matcherText)}\` until ${s.endsAt.toISOString().slice(0, 16).replace("T", " ")} UTC — ${esc(s.reason)} (by <@${s.createdBy}>, ${s.hits} hit(s))`,
      );
      return { text: [`Active silences (${rows.length}):`, ...lines].join("\n").slice(0, 3900) };
    },
  },
  unsilence: {
    scope: "anywhere",
    async run(ctx, req) {
      const id = parseSilenceRef(req.args);
      if (id === null) throw usage("unsilence", "Give the silence id, like S-3 (see `/incident silences`).");
      await liftSilence(ctx, req.userId, id);
      return { text: `🔔 ${silenceRef(id)} lifted.` };
    },
  },
};
