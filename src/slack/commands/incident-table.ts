import { coreSubcommands } from "./incident-core.js";
import type { SubcommandTable } from "./types.js";

/** All `/incident` subcommands. Each area contributes its own table. */
export const incidentSubcommands: SubcommandTable = {
  ...coreSubcommands,
};
