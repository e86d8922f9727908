import type { App, ViewStateValue } from "@slack/bolt";
import { z } from "zod";
import { parseGateItemValue } from "../../../../blocks/gate.js";
import type { AppContext } from "../../../context.js";
import { markGateItemNa } from "../../../gates/mark-gate-item-na.js";
import { setGateItemOwner } from "../../../gates/set-gate-item-owner.js";
import { NA_FIELDS, OWNER_FIELDS, VIEWS } from "../../../chat/ids.js";
import { gateChannel, replyError, settleSubmission, staleControl, viewErrors } from "../../reply-error.js";

type StateValues = Record<string, Record<string, ViewStateValue>>;

const Justification = z.string().trim().min(3, "Say why this item does not apply.");
const Owner = z.string({ error: "Pick an owner." }).min(1, "Pick an owner.");

/** The gate item modals: N/A (justification required) and the owner picker of compact messages. */
export function register(app: App, ctx: AppContext) {
  app.view(VIEWS.gateItemNa, async ({ ack, body, view }) => {
    const why = Justification.safeParse((view.state.values as StateValues)[NA_FIELDS.justification.block]?.[NA_FIELDS.justification.action]?.value ?? "");
    if (!why.success) return void (await ack(viewErrors(NA_FIELDS.justification.block, why.error.issues[0]!.message)));
    const v = parseGateItemValue(view.private_metadata);
    const to = { userId: body.user.id, channelId: v ? gateChannel(ctx, v.gateId) : null };
    if (!v) {
      await ack();
      return void (await replyError(ctx, staleControl(), to, "gate N/A from modal"));
    }
    // The typed justification is committed before the modal closes (see settleSubmission).
    await settleSubmission(ctx, ack, markGateItemNa(ctx, v.gateId, body.user.id, v.number, why.data), {
      block: NA_FIELDS.justification.block,
      to,
      what: "gate N/A from modal",
    });
  });

  app.view(VIEWS.gateItemOwner, async ({ ack, body, view }) => {
    const owner = Owner.safeParse((view.state.values as StateValues)[OWNER_FIELDS.owner.block]?.[OWNER_FIELDS.owner.action]?.selected_user);
    if (!owner.success) return void (await ack(viewErrors(OWNER_FIELDS.owner.block, owner.error.issues[0]!.message)));
    // Nothing typed can be lost with a pick: close at once, then save and tell any failure.
    await ack();
    const v = parseGateItemValue(view.private_metadata);
    const to = { userId: body.user.id, channelId: v ? gateChannel(ctx, v.gateId) : null };
    await (v ? setGateItemOwner(ctx, v.gateId, body.user.id, v.number, owner.data) : Promise.reject(staleControl())).catch((e) =>
      replyError(ctx, e, to, "gate owner from modal"),
    );
  });
}
