import type { App, BlockAction, ButtonAction, OverflowAction, UsersSelectAction } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { acknowledgeIncident } from "../../../incidents/acknowledge-incident.js";
import { completeItem, markItemNa, reopenItem, setItemOwner } from "../../../incidents/checklist-items.js";
import { incidentRef } from "../../../incidents/naming.js";
import { ACTIONS, actionPattern, VIEWS } from "../../../chat/ids.js";
import { type ItemKind, itemButton, itemMenu, itemNaButton } from "../../item-controls.js";
import { actionTarget, incidentChannel, replyError, staleControl } from "../../reply-error.js";
import { fullPlaybook } from "../../work/incident-messages.js";

/** Button values are `<incidentId>|<list>|<item number>`. */
export function parseItemValue(value: string | undefined) {
  const m = /^(\d+)\|([a-z0-9:_-]+)\|(\d{1,2}\.\d{1,2})$/i.exec(value ?? "");
  return m ? { incidentId: Number(m[1]), list: m[2]!, number: m[3]! } : null;
}

type ItemValue = NonNullable<ReturnType<typeof parseItemValue>>;

/** An incident checklist item as its buttons, menu and modals name it. */
export const INCIDENT_ITEMS: ItemKind<ItemValue> = {
  parse: parseItemValue,
  label: (v) => `Item *${v.number}* of ${incidentRef(v.incidentId)}`,
  views: { na: VIEWS.itemNa, owner: VIEWS.itemOwner },
  channel: (ctx, v) => incidentChannel(ctx, v.incidentId),
  markNa: (ctx, v, userId, why) => markItemNa(ctx, v.incidentId, userId, v.number, why, v.list),
  setOwner: (ctx, v, userId, owner) => setItemOwner(ctx, v.incidentId, userId, v.number, owner, v.list),
  what: { na: "N/A from modal", owner: "owner from modal" },
};

/** The item's incident from the block id `item|<list>|<number>` plus the channel, for the owner picker. */
async function itemFromBlock(ctx: AppContext, channelId: string | undefined, blockId: string) {
  const m = /^item\|([a-z0-9:_-]+)\|(\d{1,2}\.\d{1,2})/i.exec(blockId);
  if (!m || !channelId) return null;
  const inc = await ctx.prisma.incident.findFirst({ where: { channelId }, select: { id: true } });
  return inc ? { incidentId: inc.id, list: m[1]!, number: m[2]! } : null;
}

export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "item action");

  const complete = (v: ItemValue, userId: string) => completeItem(ctx, v.incidentId, userId, v.number, v.list);
  const reopen = (v: ItemValue, userId: string) => reopenItem(ctx, v.incidentId, userId, v.number, v.list);

  app.action<BlockAction<ButtonAction>>(
    actionPattern(ACTIONS.itemDone),
    itemButton(INCIDENT_ITEMS, fail, (v, body) => complete(v, body.user.id)),
  );
  app.action<BlockAction<ButtonAction>>(
    actionPattern(ACTIONS.itemReopen),
    itemButton(INCIDENT_ITEMS, fail, (v, body) => reopen(v, body.user.id)),
  );
  app.action<BlockAction<ButtonAction>>(actionPattern(ACTIONS.itemNa), itemNaButton(ctx, INCIDENT_ITEMS, fail));

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
  app.action<BlockAction<OverflowAction>>(actionPattern(ACTIONS.itemMenu), itemMenu(ctx, INCIDENT_ITEMS, fail, { done: complete, reopen }));

  app.action<BlockAction<ButtonAction>>(ACTIONS.incidentAck, async ({ ack, body, action }) => {
    await ack();
    const id = Number(action.value);
    if (!Number.isInteger(id)) return void (await fail(body, staleControl()));
    await acknowledgeIncident(ctx, id, body.user.id, "button").catch((e) => fail(body, e));
  });

  // *Show all steps* under the compact playbook: every step in full, only for whoever pressed it.
  app.action<BlockAction<ButtonAction>>(ACTIONS.playbookShowAll, async ({ ack, body, action }) => {
    await ack();
    const run = async () => {
      const id = Number(/^(\d+)\|/.exec(action.value ?? "")?.[1]);
      const inc = Number.isInteger(id) ? await ctx.prisma.incident.findUnique({ where: { id } }) : null;
      if (!inc || !body.channel?.id) throw staleControl();
      await ctx.chat.postEphemeral(body.channel.id, body.user.id, await fullPlaybook(ctx, inc));
    };
    await run().catch((e) => fail(body, e));
  });
}
