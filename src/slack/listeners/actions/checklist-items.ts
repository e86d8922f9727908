import type { App, BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from "@slack/bolt";
import { naModal, ownerModal } from "../../../../blocks/modals.js";
import type { AppContext } from "../../../context.js";
import { acknowledgeIncident } from "../../../incidents/acknowledge-incident.js";
import { completeItem, reopenItem, setItemOwner } from "../../../incidents/checklist-items.js";
import { ACTIONS, actionPattern } from "../../../chat/ids.js";
import { actionTarget, replyError, staleControl } from "../../reply-error.js";

/** Button values are `<incidentId>|<list>|<item number>`. */
export function parseItemValue(value: string | undefined) {
  const m = /^(\d+)\|([a-z0-9:_-]+)\|(\d{1,2}\.\d{1,2})$/i.exec(value ?? "");
  return m ? { incidentId: Number(m[1]), list: m[2]!, number: m[3]! } : null;
}

/** The item's incident from the block id `item|<list>|<number>` plus the channel, for the owner picker. */
async function itemFromBlock(ctx: AppContext, channelId: string | undefined, blockId: string) {
  const m = /^item\|([a-z0-9:_-]+)\|(\d{1,2}\.\d{1,2})/i.exec(blockId);
  if (!m || !channelId) return null;
  const inc = await ctx.prisma.incident.findFirst({ where: { channelId }, select: { id: true } });
  return inc ? { incidentId: inc.id, list: m[1]!, number: m[2]! } : null;
}

export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "item action");

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemDone), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await completeItem(ctx, v.incidentId, body.user.id, v.number, v.list).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemReopen), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await reopenItem(ctx, v.incidentId, body.user.id, v.number, v.list).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemNa), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await ctx.chat
      .openView(body.trigger_id, naModal(`Item *${v.number}* of INC-${v.incidentId}`, action.value ?? ""))
      .catch((e) => fail(body, e));
  });

  app.action<BlockAction<UsersSelectAction>>(actionPattern(ACTIONS.itemOwner), async ({ ack, body, action }) => {
    await ack();
    const owner = action.selected_user;
    if (!owner) return; // the picker was cleared
    const run = async () => {
      const v = await itemFromBlock(ctx, body.channel?.id, action.block_id);
      if (!v) throw staleControl();
      await setItemOwner(ctx, v.incidentId, body.user.id, v.number, owner, v.list);
    };
    await run().catch((e) => fail(body, e));
  });

  // Compact playbooks (too many items for two blocks each) use an overflow menu per item.
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTIONS.itemMenu), async ({ ack, body, action }) => {
    await ack();
    const [verb, ...rest] = action.selected_option.value.split("|");
    const value = rest.join("|");
    const v = parseItemValue(value);
    if (!v) return void (await fail(body, staleControl()));
    const run = async () => {
      if (verb === "done") await completeItem(ctx, v.incidentId, body.user.id, v.number, v.list);
      else if (verb === "reopen") await reopenItem(ctx, v.incidentId, body.user.id, v.number, v.list);
      else if (verb === "na") await ctx.chat.openView(body.trigger_id, naModal(`Item *${v.number}* of INC-${v.incidentId}`, value));
      else if (verb === "owner") await ctx.chat.openView(body.trigger_id, ownerModal(`Item *${v.number}* of INC-${v.incidentId}`, value));
      else throw staleControl();
    };
    await run().catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.incidentAck, async ({ ack, body, action }) => {
    await ack();
    const id = Number(action.value);
    if (!Number.isInteger(id)) return void (await fail(body, staleControl()));
    await acknowledgeIncident(ctx, id, body.user.id, "button").catch((e) => fail(body, e));
  });
}
