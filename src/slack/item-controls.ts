import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  OverflowAction,
  SlackActionMiddlewareArgs,
  UsersSelectAction,
  ViewStateValue,
} from "@slack/bolt";
import { z } from "zod";
import { naModal, ownerModal } from "../../blocks/modals.js";
import type { AppContext } from "../context.js";
import { actionPattern, NA_FIELDS, OWNER_FIELDS } from "../chat/ids.js";
import { actionTarget, type ReplyTarget, replyError, settleSubmission, staleControl, viewErrors } from "./reply-error.js";

/**
 * One kind of checklist item (an incident's, a gate's) as its controls name it: incident checklists and gates
 * share the same buttons, overflow menu and N/A / owner modals, and differ only in what is below.
 */
export interface ItemKind<V> {
  /** The item named by a control's value (also the modals' private_metadata); null when it names nothing. */
  parse: (value: string | undefined) => V | null;
  /** The item of an owner picker (a users_select carries no value: its block id names the item). */
  fromPicker: (ctx: AppContext, channelId: string | undefined, blockId: string) => Promise<V | null>;
  /** The modals' title line, e.g. `Item *1.2* of INC-7`. */
  label: (v: V) => string;
  /** The action ids of its controls (`reopen` only where items are reopened one by one). */
  actions: { done: string; na: string; owner: string; menu: string; reopen?: string };
  views: { na: string; owner: string };
  /** Where a modal's failure is told: the item's incident or gate channel. */
  channel: (ctx: AppContext, v: V) => ReplyTarget["channelId"];
  complete: (ctx: AppContext, v: V, userId: string) => Promise<unknown>;
  reopen?: (ctx: AppContext, v: V, userId: string) => Promise<unknown>;
  markNa: (ctx: AppContext, v: V, userId: string, why: string) => Promise<unknown>;
  setOwner: (ctx: AppContext, v: V, userId: string, owner: string) => Promise<unknown>;
  /** How failures are logged. */
  what: { action: string; na: string; owner: string };
}

type Fail = (body: BlockAction, e: unknown) => Promise<unknown>;
type ActionArgs<A extends BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

/** Opens the item's N/A or owner modal; `value` (the control's) comes back as its private_metadata. */
function openItemModal<V>(ctx: AppContext, kind: ItemKind<V>, modal: "na" | "owner", triggerId: string, v: V, value: string) {
  const view = modal === "na" ? naModal(kind.label(v), value, kind.views.na) : ownerModal(kind.label(v), value, kind.views.owner);
  return ctx.chat.openView(triggerId, view);
}

/** A button naming an item in its value: ack, parse (a stale value is told to the clicker), run, tell any failure. */
function itemButton<V>(kind: ItemKind<V>, fail: Fail, run: (v: V, body: BlockAction<ButtonAction>, value: string) => Promise<unknown>) {
  return async ({ ack, body, action }: ActionArgs<BlockAction<ButtonAction>>) => {
    await ack();
    const v = kind.parse(action.value);
    if (!v) return void (await fail(body, staleControl()));
    await run(v, body, action.value ?? "").catch((e) => fail(body, e));
  };
}

/**
 * An item's overflow menu (compact messages: too many items for two blocks each). Options are
 * `<verb>|<item value>`: `na` and `owner` open the modals, the other verbs are `verbs`; anything else is stale.
 */
function itemMenu<V>(ctx: AppContext, kind: ItemKind<V>, fail: Fail, verbs: Record<string, (v: V, userId: string) => Promise<unknown>>) {
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

/**
 * Every control of one kind of item: Done (and Reopen) buttons, the N/A button and modal, the owner picker and
 * modal, the overflow menu of compact messages. Incident checklists and gates register the same set.
 */
export function registerItemControls<V>(app: App, ctx: AppContext, kind: ItemKind<V>) {
  const fail: Fail = (body, e) => replyError(ctx, e, actionTarget(body), kind.what.action);
  const verbs: Record<string, (v: V, userId: string) => Promise<unknown>> = { done: (v, u) => kind.complete(ctx, v, u) };
  const reopen = kind.reopen;
  if (reopen) verbs.reopen = (v, u) => reopen(ctx, v, u);

  app.action<BlockAction<ButtonAction>>(
    actionPattern(kind.actions.done),
    itemButton(kind, fail, (v, body) => kind.complete(ctx, v, body.user.id)),
  );
  if (kind.actions.reopen && reopen) {
    app.action<BlockAction<ButtonAction>>(
      actionPattern(kind.actions.reopen),
      itemButton(kind, fail, (v, body) => reopen(ctx, v, body.user.id)),
    );
  }
  app.action<BlockAction<ButtonAction>>(
    actionPattern(kind.actions.na),
    itemButton(kind, fail, (v, body, value) => openItemModal(ctx, kind, "na", body.trigger_id, v, value)),
  );
  app.action<BlockAction<UsersSelectAction>>(actionPattern(kind.actions.owner), async ({ ack, body, action }) => {
    await ack();
    const owner = action.selected_user;
    if (!owner) return; // the picker was cleared
    const run = async () => {
      const v = await kind.fromPicker(ctx, body.channel?.id, action.block_id);
      if (!v) throw staleControl();
      await kind.setOwner(ctx, v, body.user.id, owner);
    };
    await run().catch((e) => fail(body, e));
  });
  app.action<BlockAction<OverflowAction>>(actionPattern(kind.actions.menu), itemMenu(ctx, kind, fail, verbs));
  registerItemModals(app, ctx, kind);
}

type StateValues = Record<string, Record<string, ViewStateValue>>;

const Justification = z.string().trim().min(3, "Say why this item does not apply.");
const Owner = z.string({ error: "Pick an owner." }).min(1, "Pick an owner.");

/** The item's N/A modal (justification required) and owner modal (the picker of compact messages). */
function registerItemModals<V>(app: App, ctx: AppContext, kind: ItemKind<V>) {
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
