import { setImmediate } from "node:timers/promises";
import type { App } from "@slack/bolt";
import { declareModal } from "../../../../blocks/modals.js";
import type { AppContext } from "../../../context.js";
import { dispatchSubcommand } from "../../commands/dispatch.js";
import { incidentSubcommands } from "../../commands/incident-table.js";
import { COMMANDS } from "../../ids.js";

/** `/incident`: ack at once, then the work, then an ephemeral (or in-channel) reply via response_url. */
export function register(app: App, ctx: AppContext) {
  app.command(COMMANDS.incident, async ({ command, ack, respond }) => {
    await ack();
    // Let every request already read in this turn of the event loop be acknowledged before this one's work.
    await setImmediate();
    if (!command.text.trim()) {
      try {
        await ctx.chat.openView(command.trigger_id, declareModal({}, JSON.stringify({ channelId: command.channel_id })));
        ctx.metrics.commands.inc({ command: "incident", subcommand: "(modal)", outcome: "ok" });
      } catch (err) {
        ctx.log.error({ err }, "could not open the declare modal");
        await respond({ response_type: "ephemeral", text: "Could not open the declare form; use `/incident declare [P1-P4] <title>` instead." });
      }
      return;
    }
    const { reply, subcommand, outcome } = await dispatchSubcommand(
      ctx,
      COMMANDS.incident,
      incidentSubcommands,
      {
        userId: command.user_id,
        channelId: command.channel_id,
        teamId: command.team_id,
        triggerId: command.trigger_id,
        text: command.text,
      },
    );
    ctx.metrics.commands.inc({ command: "incident", subcommand, outcome });
    await respond({
      response_type: reply.inChannel ? "in_channel" : "ephemeral",
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks as any } : {}),
    }).catch((err) => ctx.log.warn({ err }, "could not reply to the slash command"));
  });
}
