import type { App } from "@slack/bolt";
import { parseGateItemValue } from "../../../../blocks/gate.js";
import type { AppContext } from "../../../context.js";
import { errorRef, isAppError, userMessageFor } from "../../../errors.js";
import { markGateItemNa } from "../../../gates/mark-gate-item-na.js";
import { setGateItemOwner } from "../../../gates/set-gate-item-owner.js";
import { NA_FIELDS, OWNER_FIELDS, VIEWS } from "../../ids.js";

type StateValues = Record<string, Record<string, any>>;

/** The gate item modals: N/A (justification required) and the owner picker of compact messages. */
export function register(app: App, ctx: AppContext) {
  app.view(VIEWS.gateItemNa, async ({ ack, body, view }) => {
    const why = (view.state.values as StateValues)[NA_FIELDS.justification.block]?.[NA_FIELDS.justification.action]?.value ?? "";
    if (why.trim().length < 3) {
      await ack({ response_action: "errors", errors: { [NA_FIELDS.justification.block]: "Say why this item does not apply." } });
      return;
    }
    const v = parseGateItemValue(view.private_metadata);
    if (!v) return void (await ack());
    try {
      await markGateItemNa(ctx, v.gateId, body.user.id, v.number, why);
      await ack();
    } catch (e) {
      const ref = errorRef();
      if (!isAppError(e)) ctx.log.error({ err: e, ref }, "gate N/A from modal failed");
      await ack({ response_action: "errors", errors: { [NA_FIELDS.justification.block]: userMessageFor(e, ref).slice(0, 300) } });
    }
  });

  app.view(VIEWS.gateItemOwner, async ({ ack, body, view }) => {
    const owner = (view.state.values as StateValues)[OWNER_FIELDS.owner.block]?.[OWNER_FIELDS.owner.action]?.selected_user;
    if (!owner) {
      await ack({ response_action: "errors", errors: { [OWNER_FIELDS.owner.block]: "Pick an owner." } });
      return;
    }
    const v = parseGateItemValue(view.private_metadata);
    if (!v) return void (await ack());
    try {
      await setGateItemOwner(ctx, v.gateId, body.user.id, v.number, owner);
      await ack();
    } catch (e) {
      const ref = errorRef();
      if (!isAppError(e)) ctx.log.error({ err: e, ref }, "gate owner from modal failed");
      await ack({ response_action: "errors", errors: { [OWNER_FIELDS.owner.block]: userMessageFor(e, ref).slice(0, 300) } });
    }
  });
}
