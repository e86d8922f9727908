import type { SubcommandTable } from "./types.js";

/** `/incident` subcommands of the alerts area. */
export const alertsSubcommands: SubcommandTable = {};
