import type { AreaModule } from "./app.js";
import { alertsArea } from "./alerts/area.js";
import { clocksArea } from "./clocks/area.js";
import { gatesArea } from "./gates/area.js";
import { registerIncidentWorkers } from "./jobs/workers.js";
import { reviewsArea } from "./reviews/area.js";

/** Every area's wiring (listeners, job handlers, HTTP routes, start-up tasks). */
export const AREAS: AreaModule[] = [{ workers: [registerIncidentWorkers] }, alertsArea, gatesArea, clocksArea, reviewsArea];
