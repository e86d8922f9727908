import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { maintenancePublishedMessage, statusEditModal, statusPublishedMessage } from "../../../../blocks/status-page.js";
import { publishMaintenance } from "../../../status/publish-maintenance.js";
import { ACTIONS, STATUS_EDIT_FIELDS, VIEWS } from "../../../chat/ids.js";
import type { AppContext } from "../../../context.js";
import { publishStatusUpdate } from "../../../status/publish-status-update.js";
import { loadStatusPreview } from "../../../status/status-preview.js";
import { actionTarget, replyError, settleSubmission, staleControl, viewErrors } from "../../reply-error.js";

/** Button value and modal private_metadata: the draft id. */
const DraftId = z.coerce.number().int().positive();
type StateValues = Record<string, Record<string, { value?: string | null }>>;

/**
 * Publish puts the previewed draft on the page; Edit opens it (name + text) in a modal whose submit publishes.
 * Publish on a maintenance preview puts the maintenance window on the page.
 */
export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "status page action");

  app.action<BlockAction<ButtonAction>>(ACTIONS.publishStatus, async ({ ack, body, action, respond }) => {
    await ack();
    const id = DraftId.safeParse(action.value);
    if (!id.success) return void (await fail(body, staleControl()));
    try {
      const r = await publishStatusUpdate(ctx, id.data, body.user.id);
      await respond({ replace_original: true, ...statusPublishedMessage(r.status, r.alreadyPublished, r.url) });
    } catch (e) {
      await fail(body, e);
    }
  });

  // Publish on a scheduled-maintenance preview: the value is the maintenance's id.
  app.action<BlockAction<ButtonAction>>(ACTIONS.publishMaintenance, async ({ ack, body, action, respond }) => {
    await ack();
    const id = DraftId.safeParse(action.value);
    if (!id.success) return void (await fail(body, staleControl()));
    try {
      const r = await publishMaintenance(ctx, id.data, body.user.id);
      await respond({ replace_original: true, ...maintenancePublishedMessage(r) });
    } catch (e) {
      await fail(body, e);
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.editStatus, async ({ ack, body, action }) => {
    await ack();
    const id = DraftId.safeParse(action.value);
    if (!id.success) return void (await fail(body, staleControl()));
    try {
      const preview = await loadStatusPreview(ctx, id.data);
      await ctx.chat.openView(body.trigger_id, statusEditModal(preview));
    } catch (e) {
      await fail(body, e);
    }
  });

  app.view(VIEWS.statusEdit, async ({ ack, body, view }) => {
    const values = view.state.values as StateValues;
    const text = values[STATUS_EDIT_FIELDS.text.block]?.[STATUS_EDIT_FIELDS.text.action]?.value ?? "";
    const name = values[STATUS_EDIT_FIELDS.name.block]?.[STATUS_EDIT_FIELDS.name.action]?.value ?? "";
    if (!text.trim()) return void (await ack(viewErrors(STATUS_EDIT_FIELDS.text.block, "Write the update end users will read.")));
    if (!name.trim()) return void (await ack(viewErrors(STATUS_EDIT_FIELDS.name.block, "Give the incident a public name.")));
    const id = DraftId.safeParse(view.private_metadata);
    if (!id.success) {
      await ack();
      return void (await replyError(ctx, staleControl(), { userId: body.user.id }, "status page from modal"));
    }
    await settleSubmission(ctx, ack, publishStatusUpdate(ctx, id.data, body.user.id, { text, name }), {
      block: STATUS_EDIT_FIELDS.text.block,
      to: { userId: body.user.id },
      what: "status page from modal",
    });
  });
}
