import { setImmediate } from "node:timers/promises";
import type { App } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { dispatchSubcommand } from "../../commands/dispatch.js";
import { gateSubcommands } from "../../commands/gate-table.js";
import { COMMANDS } from "../../../chat/ids.js";

/** `/gate`: ack at once, then the work, then the reply via response_url (ephemeral unless a handler says otherwise). */
export function register(app: App, ctx: AppContext) {
  app.command(COMMANDS.gate, async ({ command, ack, respond }) => {
    await ack();
    // Let every request already read in this turn of the event loop be acknowledged before this one's work.
    await setImmediate();
    const { reply, subcommand, outcome } = await dispatchSubcommand(ctx, COMMANDS.gate, gateSubcommands, {
      userId: command.user_id,
      channelId: command.channel_id,
      teamId: command.team_id,
      triggerId: command.trigger_id,
      text: command.text.trim() || "help",
    });
    ctx.metrics.commands.inc({ command: "gate", subcommand, outcome });
    await respond({
      response_type: reply.inChannel ? "in_channel" : "ephemeral",
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
    }).catch((err) => ctx.log.warn({ err }, "could not reply to the slash command"));
  });
}
