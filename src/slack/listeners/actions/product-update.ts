import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { PRODUCT_UPDATE_FIELD, productUpdateModal } from "../../../../blocks/stakeholder.js";
import { postStakeholderUpdate } from "../../../clocks/post-stakeholder-update.js";
import type { AppContext } from "../../../context.js";
import { ACTIONS, VIEWS } from "../../../chat/ids.js";
import { actionTarget, incidentChannel, replyError, settleSubmission, staleControl, viewErrors } from "../../reply-error.js";

/** Button value of the drafted product update: `{"i": incidentId, "t": draft}`. */
const UpdateText = z.string().refine((t) => t.trim() !== "", "Write the update for stakeholders.");
const IncidentId = z.number().int().positive();
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
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "product update action");

  app.action<BlockAction<ButtonAction>>(ACTIONS.sendProductUpdate, async ({ ack, body, action }) => {
    await ack();
    const draft = parseDraft(action.value);
    if (!draft) return void (await fail(body, staleControl()));
    await postStakeholderUpdate(ctx, draft.i, body.user.id, draft.t).catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.editProductUpdate, async ({ ack, body, action }) => {
    await ack();
    const draft = parseDraft(action.value);
    if (!draft) return void (await fail(body, staleControl()));
    await ctx.chat.openView(body.trigger_id, productUpdateModal(draft.i, draft.t)).catch((e) => fail(body, e));
  });

  app.view(VIEWS.productUpdate, async ({ ack, body, view }) => {
    const text = UpdateText.safeParse(
      (view.state.values as StateValues)[PRODUCT_UPDATE_FIELD.block]?.[PRODUCT_UPDATE_FIELD.action]?.value ?? "",
    );
    if (!text.success) return void (await ack(viewErrors(PRODUCT_UPDATE_FIELD.block, text.error.issues[0]!.message)));
    const incidentId = IncidentId.safeParse(Number(view.private_metadata));
    if (!incidentId.success) {
      await ack();
      return void (await replyError(ctx, staleControl(), { userId: body.user.id }, "product update from modal"));
    }
    // The typed update is posted (and recorded) before the modal closes (see settleSubmission).
    await settleSubmission(ctx, ack, postStakeholderUpdate(ctx, incidentId.data, body.user.id, text.data), {
      block: PRODUCT_UPDATE_FIELD.block,
      to: { userId: body.user.id, channelId: incidentChannel(ctx, incidentId.data) },
      what: "product update from modal",
    });
  });
}
