import type { App } from "@slack/bolt";
import type { AppContext } from "../../context.js";
import { register as alertActions } from "./actions/alert-actions.js";
import { register as checklistItems } from "./actions/checklist-items.js";
import { register as gateItems } from "./actions/gate-items.js";
import { register as productUpdate } from "./actions/product-update.js";
import { register as rollbackActions } from "./actions/rollback-actions.js";
import { register as reviewActions } from "./actions/review-actions.js";
import { register as statusPage } from "./actions/status-page.js";
import { register as gateCommand } from "./commands/gate.js";
import { register as incidentCommand } from "./commands/incident.js";
import { register as appHome } from "./events/app-home.js";
import { register as timelineCapture } from "./events/timeline-capture.js";
import { register as incidentViews } from "./views/incident-views.js";
import { register as reviewViews } from "./views/review-views.js";

/** Adds one group of Slack listeners (commands, actions, views, events) to Bolt. No business logic. */
export type ListenerRegistrar = (app: App, ctx: AppContext) => void;

/** Every Slack listener, in registration order. A new file under listeners/ is added here and nowhere else. */
export const LISTENERS: ListenerRegistrar[] = [
  // incidents
  incidentCommand,
  checklistItems, // with the item modals
  incidentViews,
  // alerts
  alertActions,
  // models
  rollbackActions,
  // gates
  gateCommand,
  gateItems, // with the item modals (src/slack/item-controls.ts registers the whole set)
  appHome,
  // clocks
  productUpdate,
  // the public status page
  statusPage,
  // reviews and the timeline
  timelineCapture,
  reviewActions,
  reviewViews,
];

export function registerListeners(app: App, ctx: AppContext, listeners: ListenerRegistrar[] = LISTENERS): void {
  for (const register of listeners) register(app, ctx);
}
