import type { App } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { registerItemModals } from "../../item-controls.js";
import { GATE_ITEMS } from "../actions/gate-items.js";

/** The gate item modals: N/A (justification required) and the owner picker of compact messages. */
export function register(app: App, ctx: AppContext) {
  registerItemModals(app, ctx, GATE_ITEMS);
}
