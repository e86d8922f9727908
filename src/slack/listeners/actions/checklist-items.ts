import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { isAppError } from "../../../errors.js";
import { acknowledgeIncident } from "../../../incidents/acknowledge-incident.js";
import { joinableChannel } from "../../../incidents/announcement.js";
import { completeItem, markItemNa, reopenItem, setItemOwner } from "../../../incidents/checklist-items.js";
import { findIncidentByChannel } from "../../../incidents/find-incident.js";
import { incidentRef } from "../../../incidents/naming.js";
import { ACTIONS, VIEWS } from "../../../chat/ids.js";
import { type IncidentItemRef, parseIncidentItemBlockId, parseIncidentItemValue } from "../../../chat/item-values.js";
import { type ItemKind, registerItemControls } from "../../item-controls.js";
import { actionTarget, incidentChannel, replyError, staleControl } from "../../reply-error.js";
import { fullPlaybook } from "../../work/incident-messages.js";

const notInIncident = (e: unknown) => {
  if (isAppError(e) && e.code === "not_in_incident") return null;
  throw e;
};

/** An incident checklist item (playbook or runbook) as its buttons, menu and modals name it. */
export const INCIDENT_ITEMS: ItemKind<IncidentItemRef> = {
  parse: parseIncidentItemValue,
  // The owner picker's block id names the list and number; the incident is the channel's.
  async fromPicker(ctx, channelId, blockId) {
    const item = parseIncidentItemBlockId(blockId);
    // Outside an incident channel the picker is stale, not a wrong command.
    const inc = item && channelId ? await findIncidentByChannel(ctx, channelId).catch(notInIncident) : null;
    return item && inc ? { incidentId: inc.id, ...item } : null;
  },
  label: (v) => `Item *${v.number}* of ${incidentRef(v.incidentId)}`,
  actions: { done: ACTIONS.itemDone, na: ACTIONS.itemNa, owner: ACTIONS.itemOwner, menu: ACTIONS.itemMenu, reopen: ACTIONS.itemReopen },
  views: { na: VIEWS.itemNa, owner: VIEWS.itemOwner },
  channel: (ctx, v) => incidentChannel(ctx, v.incidentId),
  complete: (ctx, v, userId) => completeItem(ctx, v.incidentId, userId, v.number, v.list),
  reopen: (ctx, v, userId) => reopenItem(ctx, v.incidentId, userId, v.number, v.list),
  markNa: (ctx, v, userId, why) => markItemNa(ctx, v.incidentId, userId, v.number, why, v.list),
  setOwner: (ctx, v, userId, owner) => setItemOwner(ctx, v.incidentId, userId, v.number, owner, v.list),
  what: { action: "item action", na: "N/A from modal", owner: "owner from modal" },
};

export function register(app: App, ctx: AppContext) {
  registerItemControls(app, ctx, INCIDENT_ITEMS);

  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "item action");
  app.action<BlockAction<ButtonAction>>(ACTIONS.incidentAck, async ({ ack, body, action }) => {
    await ack();
    const id = Number(action.value);
    if (!Number.isInteger(id)) return void (await fail(body, staleControl()));
    await acknowledgeIncident(ctx, id, body.user.id, "button").catch((e) => fail(body, e));
  });

  // *Join channel* on an announcement in INCIDENTS_CHANNEL_ID: invites whoever pressed it (already there is fine).
  app.action<BlockAction<ButtonAction>>(ACTIONS.joinIncident, async ({ ack, body, action }) => {
    await ack();
    const run = async () => {
      const channelId = await joinableChannel(ctx, Number(action.value));
      if (!channelId || !body.channel?.id) throw staleControl();
      await ctx.chat.invite(channelId, [body.user.id]);
      await ctx.chat.postEphemeral(body.channel.id, body.user.id, { text: `You are in <#${channelId}>.` });
    };
    await run().catch((e) => fail(body, e));
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
