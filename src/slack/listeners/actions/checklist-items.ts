import type { App, BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from "@slack/bolt";
import { naModal, ownerModal } from "../../../../blocks/modals.js";
import type { AppContext } from "../../../context.js";
import { errorRef, userMessageFor } from "../../../errors.js";
import { acknowledgeIncident } from "../../../incidents/acknowledge-incident.js";
import { completeItem, reopenItem, setItemOwner } from "../../../incidents/checklist-items.js";
import { ACTIONS, actionPattern } from "../../ids.js";

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
  const fail = async (body: BlockAction, err: unknown) => {
    const ref = errorRef();
    ctx.log.warn({ err, ref }, "item action failed");
    const channel = body.channel?.id;
    if (channel) {
      await ctx.chat
        .postEphemeral(channel, body.user.id, { text: `⚠️ ${userMessageFor(err, ref)}` })
        .catch(() => {});
    }
  };

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemDone), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return;
    await completeItem(ctx, v.incidentId, body.user.id, v.number, v.list).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemReopen), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return;
    await reopenItem(ctx, v.incidentId, body.user.id, v.number, v.list).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemNa), async ({ ack, body, action }) => {
    await ack();
    const v = parseItemValue(action.value);
    if (!v) return;
    await ctx.chat
      .openView(body.trigger_id, naModal(`Item *${v.number}* of INC-${v.incidentId}`, action.value ?? ""))
      .catch((e) => fail(body, e));
  });

  app.action<BlockAction<UsersSelectAction>>(actionPattern(ACTIONS.itemOwner), async ({ ack, body, action }) => {
    await ack();
    const v = await itemFromBlock(ctx, body.channel?.id, action.block_id);
    if (!v || !action.selected_user) return;
    await setItemOwner(ctx, v.incidentId, body.user.id, v.number, action.selected_user, v.list).catch((e) => fail(body, e));
  });

  // Compact playbooks (too many items for two blocks each) use an overflow menu per item.
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTIONS.itemMenu), async ({ ack, body, action }) => {
    await ack();
    const [verb, ...rest] = action.selected_option.value.split("|");
    const value = rest.join("|");
    const v = parseItemValue(value);
    if (!v) return;
    const run = async () => {
      if (verb === "done") await completeItem(ctx, v.incidentId, body.user.id, v.number, v.list);
      else if (verb === "reopen") await reopenItem(ctx, v.incidentId, body.user.id, v.number, v.list);
      else if (verb === "na") await ctx.chat.openView(body.trigger_id, naModal(`Item *${v.number}* of INC-${v.incidentId}`, value));
      else if (verb === "owner") await ctx.chat.openView(body.trigger_id, ownerModal(`Item *${v.number}* of INC-${v.incidentId}`, value));
    };
    await run().catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.incidentAck, async ({ ack, body, action }) => {
    await ack();
    const id = Number(action.value);
    if (!Number.isInteger(id)) return;
    await acknowledgeIncident(ctx, id, body.user.id, "button").catch((e) => fail(body, e));
  });
}
