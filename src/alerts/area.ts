import type { AreaModule } from "../app.js";

/** Wiring of the alerts area: listeners, job handlers, HTTP routes, start-up tasks. */
export const alertsArea: AreaModule = {};
