import type { SlackViewMiddlewareArgs } from "@slack/bolt";
import type { AppContext } from "../context.js";
import { AppError, errorRef, isAppError, userMessageFor } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Slack shows the user an error when a command or modal is not acked within 3 s. Work that must be committed
 * before the ack (a declaration, a modal's typed text) is acked by then anyway, and tells its outcome later.
 */
export const DURABLE_ACK_DEADLINE_MS = 2_300;

/** true when `work` settles (either way) within `ms`; false when the deadline comes first. */
export async function beforeDeadline(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ErrorReport {
  /** Logged with the error and shown to the user, so support can find the log line. */
  ref: string;
  /** What the user sees: the AppError's message (+ usage), or the reference id. */
  text: string;
  outcome: "user_error" | "error";
}

/**
 * The one place an error becomes a user message: an AppError is the user's to fix (logged at info, no stack);
 * anything else is logged at error level with a fresh reference id that the message repeats.
 */
export function describeError(log: Logger, e: unknown, what: string, context: Record<string, unknown> = {}): ErrorReport {
  const ref = errorRef();
  if (isAppError(e)) log.info({ ...context, code: e.code }, `${what}: refused`);
  else log.error({ ...context, err: e, ref }, `${what} failed`);
  return { ref, text: `${isAppError(e) ? "⚠️ " : ""}${userMessageFor(e, ref)}`, outcome: isAppError(e) ? "user_error" : "error" };
}

/** Where to tell the user: a channel (or a lookup of it, e.g. the incident's); without one, a DM. */
export interface ReplyTarget {
  userId: string;
  channelId?: string | null | (() => Promise<string | null | undefined>);
}

/**
 * For listeners (actions, views after their ack, events): logs the error as describeError does and always
 * answers the user, ephemeral in the channel, or by DM when there is no channel or the ephemeral fails
 * (the user is not in it). A failure to answer is logged, never thrown: the listener has nothing left to do.
 */
export async function replyError(
  ctx: AppContext,
  e: unknown,
  to: ReplyTarget,
  what: string,
  context: Record<string, unknown> = {},
): Promise<ErrorReport> {
  const report = describeError(ctx.log, e, what, { ...context, user: to.userId });
  const message = { text: report.text };
  const channelId = typeof to.channelId === "function" ? await to.channelId().catch(() => null) : to.channelId;
  if (channelId) {
    try {
      await ctx.chat.postEphemeral(channelId, to.userId, message);
      return report;
    } catch (err) {
      ctx.log.warn({ err, ref: report.ref }, "could not post the error ephemeral; sending a DM");
    }
  }
  try {
    await ctx.chat.post(await ctx.chat.openDm(to.userId), message);
  } catch (err) {
    ctx.log.warn({ err, ref: report.ref }, "could not tell the user about an error");
  }
  return report;
}

/** A modal's own answer to a submission it refuses: the message under `block`, where the user typed. */
export function viewErrors(block: string, text: string) {
  return { response_action: "errors" as const, errors: { [block]: text.slice(0, 300) } };
}

/** A button, menu or form whose value names nothing we know (an old message, a hand-made payload). */
export function staleControl(): AppError {
  return new AppError("invalid", "This control is out of date and names nothing we know; reload the message and try again.");
}

/** The reply target of a block action: the clicker, in the channel of the message clicked. */
export function actionTarget(body: { user: { id: string }; channel?: { id: string } }): ReplyTarget {
  return { userId: body.user.id, channelId: body.channel?.id };
}

/** The channel of an incident or a gate, looked up only when an error has to be told there. */
export const incidentChannel = (ctx: AppContext, id: number) => async () =>
  (await ctx.prisma.incident.findUnique({ where: { id }, select: { channelId: true } }))?.channelId;
export const gateChannel = (ctx: AppContext, id: number) => async () =>
  (await ctx.prisma.gate.findUnique({ where: { id }, select: { channelId: true } }))?.channelId;

type ViewAck = SlackViewMiddlewareArgs["ack"];

/**
 * A modal whose input is already validated and whose work saves what the user typed: the modal closes once
 * the work is committed, so a crash cannot lose the text after the user saw it accepted. Within the ack
 * deadline an AppError shows in the modal under `block` (the user fixes it there); past the deadline the modal
 * closes anyway, and any failure, like an unexpected one, is told via replyError.
 */
export async function settleSubmission(
  ctx: AppContext,
  ack: ViewAck,
  work: Promise<unknown>,
  opts: { block: string; to: ReplyTarget; what: string },
): Promise<void> {
  const inTime = await beforeDeadline(work, DURABLE_ACK_DEADLINE_MS);
  if (!inTime) await ack();
  try {
    await work;
    if (inTime) await ack();
  } catch (e) {
    if (inTime && isAppError(e)) {
      await ack(viewErrors(opts.block, describeError(ctx.log, e, opts.what).text));
      return;
    }
    if (inTime) await ack();
    await replyError(ctx, e, opts.to, opts.what);
  }
}
