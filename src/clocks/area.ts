import type { AreaModule } from "../app.js";

/** Wiring of the clocks area: listeners, job handlers, HTTP routes, start-up tasks. */
export const clocksArea: AreaModule = {};
