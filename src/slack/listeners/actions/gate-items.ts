import type { App, BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from "@slack/bolt";
import { parseGateItemBlockId, parseGateItemValue } from "../../../../blocks/gate.js";
import { naModal, ownerModal } from "../../../../blocks/modals.js";
import type { AppContext } from "../../../context.js";
import { approveGate } from "../../../gates/approve-gate.js";
import { completeGateItem } from "../../../gates/complete-gate-item.js";
import { gateRef } from "../../../gates/gate-ref.js";
import { setGateItemOwner } from "../../../gates/set-gate-item-owner.js";
import { ACTIONS, actionPattern, VIEWS } from "../../../chat/ids.js";
import { actionTarget, replyError, staleControl } from "../../reply-error.js";

/** Buttons and pickers of the gate message. Each one: ack, one use case, and a refusal told to the clicker. */
export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "gate action");
  const label = (v: { gateId: number; number: string }) => `Item *${v.number}* of ${gateRef(v.gateId)}`;

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.gateItemDone), async ({ ack, body, action }) => {
    await ack();
    const v = parseGateItemValue(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await completeGateItem(ctx, v.gateId, body.user.id, v.number).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.gateItemNa), async ({ ack, body, action }) => {
    await ack();
    const v = parseGateItemValue(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await ctx.chat.openView(body.trigger_id, naModal(label(v), action.value ?? "", VIEWS.gateItemNa)).catch((e) => fail(body, e));
  });

  app.action<BlockAction<UsersSelectAction>>(actionPattern(ACTIONS.gateItemOwner), async ({ ack, body, action }) => {
    await ack();
    const v = parseGateItemBlockId(action.block_id);
    if (!action.selected_user) return; // the picker was cleared
    if (!v) return void (await fail(body, staleControl()));
    await setGateItemOwner(ctx, v.gateId, body.user.id, v.number, action.selected_user).catch((e) => fail(body, e));
  });

  // Compact gate messages (too many items for two blocks each) carry an overflow menu per item.
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTIONS.gateItemMenu), async ({ ack, body, action }) => {
    await ack();
    const [verb, ...rest] = action.selected_option.value.split("|");
    const value = rest.join("|");
    const v = parseGateItemValue(value);
    if (!v) return void (await fail(body, staleControl()));
    const run = async () => {
      if (verb === "done") await completeGateItem(ctx, v.gateId, body.user.id, v.number);
      else if (verb === "na") await ctx.chat.openView(body.trigger_id, naModal(label(v), value, VIEWS.gateItemNa));
      else if (verb === "owner") await ctx.chat.openView(body.trigger_id, ownerModal(label(v), value, VIEWS.gateItemOwner));
      else throw staleControl();
    };
    await run().catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.gateApprove, async ({ ack, body, action }) => {
    await ack();
    const gateId = Number(action.value);
    if (!Number.isInteger(gateId)) return void (await fail(body, staleControl()));
    await approveGate(ctx, gateId, body.user.id).catch((e) => fail(body, e));
  });
}
