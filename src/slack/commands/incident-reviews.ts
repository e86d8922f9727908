import type { SubcommandTable } from "./types.js";

/** `/incident` subcommands of the reviews area. */
export const reviewsSubcommands: SubcommandTable = {};
