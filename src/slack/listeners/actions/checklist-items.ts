import type { App, BlockAction, ButtonAction, UsersSelectAction } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { isAppError } from "../../../errors.js";
import { acknowledgeIncident } from "../../../incidents/acknowledge-incident.js";
import { joinableChannel } from "../../../incidents/announcement.js";
import { completeItem, markItemNa, reopenItem, setItemOwner } from "../../../incidents/checklist-items.js";
import { findIncidentByChannel } from "../../../incidents/find-incident.js";
import { incidentRef } from "../../../incidents/naming.js";
import { ACTIONS, actionPattern, VIEWS } from "../../../chat/ids.js";
import {
  type IncidentItemRef,
  parseIncidentItemBlockId,
  parseIncidentItemValue,
  parseStepOwnerActionId,
} from "../../../chat/item-values.js";
import { assignStep } from "../../../incidents/assign-step.js";
import { idButton, type ItemKind, registerItemControls } from "../../item-controls.js";
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
  app.action<BlockAction<ButtonAction>>(
    ACTIONS.incidentAck,
    idButton(ctx, "item action", (id, userId) => acknowledgeIncident(ctx, id, userId, "button")),
  );

  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "item action");
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

  // *Assign step to…* on a step line: the step's items without an owner go to the person picked; told to the picker.
  app.action<BlockAction<UsersSelectAction>>(actionPattern(ACTIONS.stepOwner), async ({ ack, body, action }) => {
    await ack();
    const owner = action.selected_user;
    if (!owner) return; // the picker was cleared
    const run = async () => {
      const step = parseStepOwnerActionId(action.action_id);
      const inc = step && body.channel?.id ? await findIncidentByChannel(ctx, body.channel.id).catch(notInIncident) : null;
      if (!step || !inc || !body.channel?.id) throw staleControl();
      const r = await assignStep(ctx, inc.id, body.user.id, step.step, owner, step.list);
      const text = r.assigned.length
        ? `Step ${r.step} (${r.stepTitle}): ${r.assigned.join(", ")} now owned by <@${owner}>.`
        : `Every item of step ${r.step} (${r.stepTitle}) already has an owner; change one with its own picker or \`/incident owner <item> @user\`.`;
      await ctx.chat.postEphemeral(body.channel.id, body.user.id, { text });
    };
    await run().catch((e) => fail(body, e));
  });

  // The header's link buttons open their page in the browser; Slack still sends the click, which is only acked.
  app.action(actionPattern(ACTIONS.headerLink), async ({ ack }) => {
    await ack();
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
