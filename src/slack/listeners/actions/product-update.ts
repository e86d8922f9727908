import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { PRODUCT_UPDATE_FIELD, productUpdateModal } from "../../../../blocks/stakeholder.js";
import { postStakeholderUpdate } from "../../../clocks/post-stakeholder-update.js";
import type { AppContext } from "../../../context.js";
import { errorRef, userMessageFor } from "../../../errors.js";
import { ACTIONS, VIEWS } from "../../ids.js";

/** Button value of the drafted product update: `{"i": incidentId, "t": draft}`. */
const DraftValue = z.object({ i: z.number().int().positive(), t: z.string().min(1) });

function parseDraft(value: string | undefined) {
  try {
    const parsed = DraftValue.safeParse(JSON.parse(value ?? ""));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type StateValues = Record<string, Record<string, { value?: string | null }>>;

/** Send posts the draft as `/incident update`; Edit opens it in a modal whose submit does the same. */
export function register(app: App, ctx: AppContext) {
  const fail = async (channel: string | undefined, userId: string, err: unknown) => {
    const ref = errorRef();
    ctx.log.warn({ err, ref }, "product update action failed");
    if (channel) await ctx.chat.postEphemeral(channel, userId, { text: `⚠️ ${userMessageFor(err, ref)}` }).catch(() => {});
  };

  app.action<BlockAction<ButtonAction>>(ACTIONS.sendProductUpdate, async ({ ack, body, action }) => {
    await ack();
    const draft = parseDraft(action.value);
    if (!draft) return;
    await postStakeholderUpdate(ctx, draft.i, body.user.id, draft.t).catch((e) => fail(body.channel?.id, body.user.id, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.editProductUpdate, async ({ ack, body, action }) => {
    await ack();
    const draft = parseDraft(action.value);
    if (!draft) return;
    await ctx.chat.openView(body.trigger_id, productUpdateModal(draft.i, draft.t)).catch((e) => fail(body.channel?.id, body.user.id, e));
  });

  app.view(VIEWS.productUpdate, async ({ ack, body, view }) => {
    const text = (view.state.values as StateValues)[PRODUCT_UPDATE_FIELD.block]?.[PRODUCT_UPDATE_FIELD.action]?.value ?? "";
    const incidentId = Number(view.private_metadata);
    if (!text.trim()) {
      await ack({ response_action: "errors", errors: { [PRODUCT_UPDATE_FIELD.block]: "Write the update for stakeholders." } });
      return;
    }
    if (!Number.isInteger(incidentId) || incidentId <= 0) return void (await ack());
    try {
      await postStakeholderUpdate(ctx, incidentId, body.user.id, text);
      await ack();
    } catch (e) {
      await ack({ response_action: "errors", errors: { [PRODUCT_UPDATE_FIELD.block]: userMessageFor(e, errorRef()).slice(0, 300) } });
    }
  });
}
