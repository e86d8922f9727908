import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { reviewImpactModal } from "../../../../blocks/review.js";
import type { AppContext } from "../../../context.js";
import { readImpact } from "../../../reviews/draft-review.js";
import { completeReview } from "../../../reviews/complete-review.js";
import { ACTIONS } from "../../../chat/ids.js";
import { actionTarget, replyError, staleControl } from "../../reply-error.js";

/** The review message's buttons: "Add impact" opens the modal; "Mark review complete". Values are the incident id. */
export function register(app: App, ctx: AppContext) {
  const fail = (body: BlockAction, e: unknown) => replyError(ctx, e, actionTarget(body), "review action");

  app.action<BlockAction<ButtonAction>>(ACTIONS.reviewImpact, async ({ ack, body, action }) => {
    await ack();
    const incidentId = Number(action.value);
    if (!Number.isInteger(incidentId)) return void (await fail(body, staleControl()));
    const open = async () => {
      const review = await ctx.prisma.review.findUnique({ where: { incidentId }, select: { impact: true } });
      await ctx.chat.openView(body.trigger_id, reviewImpactModal(incidentId, readImpact(review?.impact)));
    };
    await open().catch((e) => fail(body, e));
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.reviewComplete, async ({ ack, body, action }) => {
    await ack();
    const incidentId = Number(action.value);
    if (!Number.isInteger(incidentId)) return void (await fail(body, staleControl()));
    await completeReview(ctx, incidentId, body.user.id).catch((e) => fail(body, e));
  });
}
