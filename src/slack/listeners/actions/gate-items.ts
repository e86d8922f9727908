import type { App, BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from "@slack/bolt";
import { parseGateItemBlockId, parseGateItemValue } from "../../../../blocks/gate.js";
import type { AppContext } from "../../../context.js";
import { approveGate } from "../../../gates/approve-gate.js";
import { completeGateItem } from "../../../gates/complete-gate-item.js";
import { gateRef } from "../../../gates/gate-ref.js";
import { markGateItemNa } from "../../../gates/mark-gate-item-na.js";
import { setGateItemOwner } from "../../../gates/set-gate-item-owner.js";
import { ACTIONS, actionPattern, VIEWS } from "../../../chat/ids.js";
import { type ItemKind, itemButton, itemMenu, itemNaButton } from "../../item-controls.js";
import { actionTarget, gateChannel, replyError, staleControl } from "../../reply-error.js";

type GateItemValue = NonNullable<ReturnType<typeof parseGateItemValue>>;

/** A gate item as its buttons, menu and modals name it. */
export const GATE_ITEMS: ItemKind<GateItemValue> = {
  parse: parseGateItemValue,
  label: (v) => `Item *${v.number}* of ${gateRef(v.gateId)}`,
  views: { na: VIEWS.gateItemNa, owner: VIEWS.gateItemOwner },
  channel: (ctx, v) => gateChannel(ctx, v.gateId),
  markNa: (ctx, v, userId, why) => markGateItemNa(ctx, v.gateId, userId, v.number, why),
  setOwner: (ctx, v, userId, owner) => setGateItemOwner(ctx, v.gateId, userId, v.number, owner),
  what: { na: "gate N/A from modal", owner: "gate owner from modal" },
};

/** Buttons and pickers of the gate message. Each one: ack, one use case, and a refusal told to the clicker. */
export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "gate action");
  const complete = (v: GateItemValue, userId: string) => completeGateItem(ctx, v.gateId, userId, v.number);

  app.action<BlockAction<ButtonAction>>(
    actionPattern(ACTIONS.gateItemDone),
    itemButton(GATE_ITEMS, fail, (v, body) => complete(v, body.user.id)),
  );
  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.gateItemNa), itemNaButton(ctx, GATE_ITEMS, fail));

  app.action<BlockAction<UsersSelectAction>>(actionPattern(ACTIONS.gateItemOwner), async ({ ack, body, action }) => {
    await ack();
    const v = parseGateItemBlockId(action.block_id);
    if (!action.selected_user) return; // the picker was cleared
    if (!v) return void (await fail(body, staleControl()));
    await setGateItemOwner(ctx, v.gateId, body.user.id, v.number, action.selected_user).catch((e) => fail(body, e));
  });

  // Compact gate messages (too many items for two blocks each) carry an overflow menu per item.
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTIONS.gateItemMenu), itemMenu(ctx, GATE_ITEMS, fail, { done: complete }));

  app.action<BlockAction<ButtonAction>>(ACTIONS.gateApprove, async ({ ack, body, action }) => {
    await ack();
    const gateId = Number(action.value);
    if (!Number.isInteger(gateId)) return void (await fail(body, staleControl()));
    await approveGate(ctx, gateId, body.user.id).catch((e) => fail(body, e));
  });
}
