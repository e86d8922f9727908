import { setImmediate } from "node:timers/promises";
import type { App, RespondFn } from "@slack/bolt";
import { declareModal } from "../../../../blocks/modals.js";
import type { AppContext } from "../../../context.js";
import { splitFirst } from "../../commands/args.js";
import { dispatchSubcommand } from "../../commands/dispatch.js";
import { incidentSubcommands } from "../../commands/incident-table.js";
import type { Reply } from "../../commands/types.js";
import { COMMANDS } from "../../../chat/ids.js";
import { beforeDeadline, describeError, DURABLE_ACK_DEADLINE_MS } from "../../reply-error.js";

/**
 * Subcommands whose work is only database writes and must not be lost once acknowledged: they are acked
 * after their transaction commits (a declaration and its provisioning job), not before.
 */
const ACK_AFTER_COMMIT = new Set(["declare"]);

/**
 * `/incident`: the reply goes via response_url. Most subcommands are acked at once, then run; `declare`
 * runs first and is acked once committed (see ACK_AFTER_COMMIT).
 */
export function register(app: App, ctx: AppContext) {
  app.command(COMMANDS.incident, async ({ command, ack, respond }) => {
    const req = {
      userId: command.user_id,
      channelId: command.channel_id,
      teamId: command.team_id,
      triggerId: command.trigger_id,
      text: command.text,
    };
    const sub = splitFirst(command.text)[0].toLowerCase();
    if (ACK_AFTER_COMMIT.has(sub)) {
      const work = dispatchSubcommand(ctx, COMMANDS.incident, incidentSubcommands, req);
      const inTime = await beforeDeadline(work, DURABLE_ACK_DEADLINE_MS);
      // Past the deadline this ack precedes durability: the trade-off against Slack showing an error. The
      // work goes on, and Slack's redelivery (same trigger_id) finds the declaration instead of repeating it.
      await ack(inTime ? undefined : { response_type: "ephemeral", text: "Still saving your request; you will get a reply here." });
      const { reply, outcome } = await work;
      ctx.metrics.commands.inc({ command: "incident", subcommand: sub, outcome });
      await sendReply(ctx, respond, reply);
      return;
    }

    await ack();
    // Let every request already read in this turn of the event loop be acknowledged before this one's work.
    await setImmediate();
    if (!command.text.trim()) {
      try {
        await ctx.chat.openView(command.trigger_id, declareModal({}, JSON.stringify({ channelId: command.channel_id })));
        ctx.metrics.commands.inc({ command: "incident", subcommand: "(modal)", outcome: "ok" });
      } catch (err) {
        const { ref } = describeError(ctx.log, err, "opening the declare modal");
        await respond({
          response_type: "ephemeral",
          text: `Could not open the declare form (reference ${ref}); use \`/incident declare [P1-P4] <title>\` instead.`,
        });
      }
      return;
    }
    const { reply, subcommand, outcome } = await dispatchSubcommand(ctx, COMMANDS.incident, incidentSubcommands, req);
    ctx.metrics.commands.inc({ command: "incident", subcommand, outcome });
    await sendReply(ctx, respond, reply);
  });
}

async function sendReply(ctx: AppContext, respond: RespondFn, reply: Reply) {
  await respond({
    response_type: reply.inChannel ? "in_channel" : "ephemeral",
    text: reply.text,
    ...(reply.blocks ? { blocks: reply.blocks } : {}),
  }).catch((err) => ctx.log.warn({ err }, "could not reply to the slash command"));
}
