import { usageFor } from "../../../blocks/help.js";
import type { AppContext } from "../../context.js";
import { AppError, isAppError } from "../../errors.js";
import { findIncidentByChannel } from "../../incidents/find-incident.js";
import { describeError } from "../reply-error.js";
import { splitFirst, unescapeSlackText } from "./args.js";
import type { CommandRequest, Reply, SubcommandTable } from "./types.js";

/**
 * Runs one `/incident` or `/gate` subcommand: finds the handler, resolves the incident for in-channel
 * commands, and turns every error into a reply (usage for bad arguments, a reference id otherwise).
 */
export async function dispatchSubcommand(
  ctx: AppContext,
  command: string,
  table: SubcommandTable,
  req: Omit<CommandRequest, "args"> & { text: string },
): Promise<{ reply: Reply; subcommand: string; outcome: "ok" | "user_error" | "error" }> {
  // Slack escapes &, < and > in command text (should_escape); our output escapes them again.
  const text = unescapeSlackText(req.text);
  const [first, args] = splitFirst(text);
  const sub = first.toLowerCase();
  try {
    // Own keys only: `__proto__` or `constructor` typed as a subcommand is unknown, not a property of Object.
    const handler = Object.hasOwn(table, sub) ? table[sub] : undefined;
    if (!handler) {
      const help = Object.hasOwn(table, "help") ? await table.help!.run(ctx, { ...req, args: "", incidentId: 0 }) : undefined;
      throw new AppError("usage", `Unknown ${command} subcommand "${first}".`, help?.text);
    }
    let incidentId = 0;
    if (handler.scope === "incident") {
      const inc = await findIncidentByChannel(ctx, req.channelId).catch((e) => {
        if (isAppError(e)) throw new AppError(e.code, `\`${command} ${sub}\`: ${e.message}`, usageFor(sub));
        throw e;
      });
      incidentId = inc.id;
    }
    const reply = (await handler.run(ctx, { ...req, args, incidentId })) ?? { text: "Done." };
    return { reply, subcommand: sub, outcome: "ok" };
  } catch (e) {
    const { text, outcome } = describeError(ctx.log, e, "command", { command, sub });
    return { reply: { text }, subcommand: sub || "(none)", outcome };
  }
}
