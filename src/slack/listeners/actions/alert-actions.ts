import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { declareFromTriage, dismissAlert } from "../../../alerts/triage.js";
import type { AppContext } from "../../../context.js";
import { setStatus } from "../../../incidents/set-status.js";
import { showTriageDeclared, showTriageDismissed } from "../../work/alert-triage.js";
import { ACTIONS } from "../../../chat/ids.js";
import { actionTarget, replyError, staleControl } from "../../reply-error.js";

const id = (value: string | undefined) => (/^\d{1,9}$/.test(value ?? "") ? Number(value) : null);

/** Triage buttons (Declare / Dismiss) and the "every alert resolved" prompt (mitigated / resolved). */
export function register(app: App, ctx: AppContext) {
  const run =
    (fn: (body: BlockAction, value: number) => Promise<unknown>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction }) => {
      await ack();
      const value = id(action.value);
      await (value === null ? Promise.reject(staleControl()) : fn(body, value)).catch((e) =>
        replyError(ctx, e, actionTarget(body), "alert action", { action: action.action_id }),
      );
    };
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.declareFromAlert,
    run(async (body, alertId) => showTriageDeclared(ctx, alertId, body.user.id, await declareFromTriage(ctx, alertId, body.user.id))),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.dismissAlert,
    run(async (body, alertId) => {
      await dismissAlert(ctx, alertId);
      await showTriageDismissed(ctx, alertId, body.user.id);
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.markMitigated,
    run((body, incidentId) => setStatus(ctx, incidentId, body.user.id, "mitigated")),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.markResolved,
    run((body, incidentId) => setStatus(ctx, incidentId, body.user.id, "resolved")),
  );
}
