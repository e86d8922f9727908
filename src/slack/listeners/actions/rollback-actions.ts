import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { ACTIONS } from "../../../chat/ids.js";
import type { AppContext } from "../../../context.js";
import { AppError } from "../../../errors.js";
import { cancelRollback, confirmRollback } from "../../../models/rollback.js";
import { actionTarget, replyError, staleControl } from "../../reply-error.js";

const id = (value: string | undefined) => (/^\d{1,9}$/.test(value ?? "") ? Number(value) : null);

/** *Roll back* / *Retry* and *Cancel* on a rollback confirmation: the use case decides which click wins. */
export function register(app: App, ctx: AppContext) {
  const run =
    (fn: (body: BlockAction, rollbackId: number) => Promise<string | null>) =>
    async ({ ack, body, action }: { ack: () => Promise<void>; body: BlockAction; action: ButtonAction }) => {
      await ack();
      const value = id(action.value);
      try {
        if (value === null) throw staleControl();
        const answer = await fn(body, value);
        // Told like an error (ephemeral, else a DM), so a clicker outside the channel still hears it.
        if (answer) throw new AppError("conflict", answer);
      } catch (e) {
        await replyError(ctx, e, actionTarget(body), "rollback action", { action: action.action_id });
      }
    };
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.rollbackConfirm,
    run(async (body, rollbackId) => {
      const r = await confirmRollback(ctx, rollbackId, body.user.id);
      return r.started ? null : `This rollback is already ${r.state}; nothing was done twice.`;
    }),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.rollbackCancel,
    run(async (body, rollbackId) =>
      (await cancelRollback(ctx, rollbackId, body.user.id)) ? null : "This rollback can no longer be cancelled.",
    ),
  );
}
