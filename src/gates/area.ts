import type { AreaModule } from "../app.js";

/** Wiring of the gates area: listeners, job handlers, HTTP routes, start-up tasks. */
export const gatesArea: AreaModule = {};
