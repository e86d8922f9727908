import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { approveGate } from "../../../gates/approve-gate.js";
import { completeGateItem } from "../../../gates/complete-gate-item.js";
import { gateRef } from "../../../gates/gate-ref.js";
import { markGateItemNa } from "../../../gates/mark-gate-item-na.js";
import { setGateItemOwner } from "../../../gates/set-gate-item-owner.js";
import { ACTIONS, VIEWS } from "../../../chat/ids.js";
import { type GateItemRef, parseGateItemBlockId, parseGateItemValue } from "../../../chat/item-values.js";
import { type ItemKind, registerItemControls } from "../../item-controls.js";
import { actionTarget, gateChannel, replyError, staleControl } from "../../reply-error.js";

/** A gate item as its buttons, menu and modals name it (no Reopen: an approved gate is reopened as a whole). */
export const GATE_ITEMS: ItemKind<GateItemRef> = {
  parse: parseGateItemValue,
  fromPicker: async (_ctx, _channelId, blockId) => parseGateItemBlockId(blockId),
  label: (v) => `Item *${v.number}* of ${gateRef(v.gateId)}`,
  actions: { done: ACTIONS.gateItemDone, na: ACTIONS.gateItemNa, owner: ACTIONS.gateItemOwner, menu: ACTIONS.gateItemMenu },
  views: { na: VIEWS.gateItemNa, owner: VIEWS.gateItemOwner },
  channel: (ctx, v) => gateChannel(ctx, v.gateId),
  complete: (ctx, v, userId) => completeGateItem(ctx, v.gateId, userId, v.number),
  markNa: (ctx, v, userId, why) => markGateItemNa(ctx, v.gateId, userId, v.number, why),
  setOwner: (ctx, v, userId, owner) => setGateItemOwner(ctx, v.gateId, userId, v.number, owner),
  what: { action: "gate action", na: "gate N/A from modal", owner: "gate owner from modal" },
};

/** The gate message's item controls, and its Approve button: ack, one use case, a refusal told to the clicker. */
export function register(app: App, ctx: AppContext) {
  registerItemControls(app, ctx, GATE_ITEMS);

  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "gate action");
  app.action<BlockAction<ButtonAction>>(ACTIONS.gateApprove, async ({ ack, body, action }) => {
    await ack();
    const gateId = Number(action.value);
    if (!Number.isInteger(gateId)) return void (await fail(body, staleControl()));
    await approveGate(ctx, gateId, body.user.id).catch((e) => fail(body, e));
  });
}
