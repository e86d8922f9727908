import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
  ViewStateValue,
} from "@slack/bolt";
import { z } from "zod";
import { naModal, ownerModal } from "../../blocks/modals.js";
import type { AppContext } from "../context.js";
import { NA_FIELDS, OWNER_FIELDS } from "../chat/ids.js";
import { type ReplyTarget, replyError, settleSubmission, staleControl, viewErrors } from "./reply-error.js";

/**
 * One kind of checklist item (an incident's, a gate's) as its controls name it: incident checklists and gates
 * share the same buttons, overflow menu and N/A / owner modals, and differ only in what is below.
 */
export interface ItemKind<V> {
  /** The item named by a control's value (also the modals' private_metadata); null when it names nothing. */
  parse: (value: string | undefined) => V | null;
  /** The modals' title line, e.g. `Item *1.2* of INC-7`. */
  label: (v: V) => string;
  views: { na: string; owner: string };
  /** Where a modal's failure is told: the item's incident or gate channel. */
  channel: (ctx: AppContext, v: V) => ReplyTarget["channelId"];
  markNa: (ctx: AppContext, v: V, userId: string, why: string) => Promise<unknown>;
  setOwner: (ctx: AppContext, v: V, userId: string, owner: string) => Promise<unknown>;
  /** How the modals' failures are logged. */
  what: { na: string; owner: string };
}

type Fail = (body: BlockAction, e: unknown) => Promise<unknown>;
type ActionArgs<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

/** Opens the item's N/A or owner modal; `value` (the control's) comes back as its private_metadata. */
function openItemModal<V>(ctx: AppContext, kind: ItemKind<V>, modal: "na" | "owner", triggerId: string, v: V, value: string) {
  const view = modal === "na" ? naModal(kind.label(v), value, kind.views.na) : ownerModal(kind.label(v), value, kind.views.owner);
  return ctx.chat.openView(triggerId, view);
}

/** A button naming an item in its value: ack, parse (a stale value is told to the clicker), run, tell any failure. */
export function itemButton<V>(
  kind: ItemKind<V>,
  fail: Fail,
  run: (v: V, body: BlockAction<ButtonAction>, value: string) => Promise<unknown>,
) {
  return async ({ ack, body, action }: ActionArgs<BlockAction<ButtonAction>>) => {
    await ack();
    const v = kind.parse(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await run(v, body, action.value ?? "").catch((e) => fail(body, e));
  };
}

/** An item's N/A button: opens the N/A modal. */
export function itemNaButton<V>(ctx: AppContext, kind: ItemKind<V>, fail: Fail) {
  return itemButton(kind, fail, (v, body, value) => openItemModal(ctx, kind, "na", body.trigger_id, v, value));
}

/**
 * An item's overflow menu (compact messages: too many items for two blocks each). Options are
 * `<verb>|<item value>`: `na` and `owner` open the modals, the other verbs are `verbs`; anything else is stale.
 */
export function itemMenu<V>(
  ctx: AppContext,
  kind: ItemKind<V>,
  fail: Fail,
  verbs: Record<string, (v: V, userId: string) => Promise<unknown>>,
) {
  return async ({ ack, body, action }: ActionArgs<BlockAction<OverflowAction>>) => {
    await ack();
    const [verb, ...rest] = action.selected_option.value.split("|");
    const value = rest.join("|");
    const v = kind.parse(value);
    if (!v) return void (await fail(body, staleControl()));
    const run = async () => {
      if (verb === "na" || verb === "owner") await openItemModal(ctx, kind, verb, body.trigger_id, v, value);
      else if (verb !== undefined && Object.hasOwn(verbs, verb)) await verbs[verb]!(v, body.user.id);
      else throw staleControl();
    };
    await run().catch((e) => fail(body, e));
  };
}

type StateValues = Record<string, Record<string, ViewStateValue>>;

const Justification = z.string().trim().min(3, "Say why this item does not apply.");
const Owner = z.string({ error: "Pick an owner." }).min(1, "Pick an owner.");

/** The item's N/A modal (justification required) and owner modal (the picker of compact messages). */
export function registerItemModals<V>(app: App, ctx: AppContext, kind: ItemKind<V>) {
  app.view(kind.views.na, async ({ ack, body, view }) => {
    const why = Justification.safeParse(
      (view.state.values as StateValues)[NA_FIELDS.justification.block]?.[NA_FIELDS.justification.action]?.value ?? "",
    );
    if (!why.success) return void (await ack(viewErrors(NA_FIELDS.justification.block, why.error.issues[0]!.message)));
    const v = kind.parse(view.private_metadata);
    const to = { userId: body.user.id, channelId: v ? kind.channel(ctx, v) : null };
    if (!v) {
      await ack();
      return void (await replyError(ctx, staleControl(), to, kind.what.na));
    }
    // The typed justification is committed before the modal closes (see settleSubmission).
    await settleSubmission(ctx, ack, kind.markNa(ctx, v, body.user.id, why.data), {
      block: NA_FIELDS.justification.block,
      to,
      what: kind.what.na,
    });
  });

  app.view(kind.views.owner, async ({ ack, body, view }) => {
    const owner = Owner.safeParse((view.state.values as StateValues)[OWNER_FIELDS.owner.block]?.[OWNER_FIELDS.owner.action]?.selected_user);
    if (!owner.success) return void (await ack(viewErrors(OWNER_FIELDS.owner.block, owner.error.issues[0]!.message)));
    // Nothing typed can be lost with a pick: close at once, then save and tell any failure.
    await ack();
    const v = kind.parse(view.private_metadata);
    const to = { userId: body.user.id, channelId: v ? kind.channel(ctx, v) : null };
    await (v ? kind.setOwner(ctx, v, body.user.id, owner.data) : Promise.reject(staleControl())).catch((e) =>
      replyError(ctx, e, to, kind.what.owner),
    );
  });
}
