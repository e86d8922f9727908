import type { SubcommandTable } from "./types.js";

/** `/incident` subcommands of the clocks area. */
export const clocksSubcommands: SubcommandTable = {};
