import { alertsSubcommands } from "./incident-alerts.js";
import { clocksSubcommands } from "./incident-clocks.js";
import { coreSubcommands } from "./incident-core.js";
import { modelsSubcommands } from "./incident-models.js";
import { outreachSubcommands } from "./incident-outreach.js";
import { reviewsSubcommands } from "./incident-reviews.js";
import type { SubcommandTable } from "./types.js";

/** All `/incident` subcommands. Each area contributes its own table. */
export const incidentSubcommands: SubcommandTable = {
  ...coreSubcommands,
  ...alertsSubcommands,
  ...clocksSubcommands,
  ...reviewsSubcommands,
  ...modelsSubcommands,
  ...outreachSubcommands,
};
