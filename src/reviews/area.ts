import type { AreaModule } from "../app.js";

/** Wiring of the reviews area: listeners, job handlers, HTTP routes, start-up tasks. */
export const reviewsArea: AreaModule = {};
