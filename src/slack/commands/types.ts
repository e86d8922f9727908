import type { KnownBlock } from "@slack/web-api";
import type { AppContext } from "../../context.js";

export interface CommandRequest {
  userId: string;
  channelId: string;
  teamId: string;
  args: string; // text after the subcommand
  triggerId: string;
}

export interface Reply {
  text: string;
  blocks?: KnownBlock[]; // Slack's block types, built by blocks/
  /** Ephemeral (default) is seen only by the caller; in_channel by everyone. */
  inChannel?: boolean;
}

export interface Subcommand {
  /** "incident": only inside an incident channel; the handler receives the incident id. */
  scope: "anywhere" | "incident";
  run(ctx: AppContext, req: CommandRequest & { incidentId: number }): Promise<Reply | undefined>;
}

export type SubcommandTable = Record<string, Subcommand>;
