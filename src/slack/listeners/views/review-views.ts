import type { App, ViewStateValue } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../context.js";
import { setReviewImpact } from "../../../reviews/draft-review.js";
import { IMPACT_FIELDS, VIEWS } from "../../../chat/ids.js";
import { incidentChannel, replyError, settleSubmission, staleControl } from "../../reply-error.js";

type StateValues = Record<string, Record<string, ViewStateValue>>;

const Metadata = z.object({ incidentId: z.number().int().positive() });

/** Empty → unknown; otherwise a non-negative number (integers where asked). */
const count = (integer: boolean) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, c) => {
      if (v === undefined || v === "") return undefined;
      const n = Number(v.replace(/[,$\s]/g, ""));
      if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
        c.addIssue({
          code: "custom",
          message: integer ? "Enter a whole number (or leave it empty)." : "Enter an amount (or leave it empty).",
        });
        return z.NEVER;
      }
      return n;
    });

const ImpactForm = z.object({
  usersAffected: count(true),
  revenue: count(false),
  predictionsAffected: count(true),
  dataLoss: z
    .enum(["yes", "no"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "yes")),
});

export function readImpactForm(values: StateValues) {
  const v = (f: { block: string; action: string }) => values[f.block]?.[f.action];
  return ImpactForm.safeParse({
    usersAffected: v(IMPACT_FIELDS.usersAffected)?.value ?? undefined,
    revenue: v(IMPACT_FIELDS.revenue)?.value ?? undefined,
    predictionsAffected: v(IMPACT_FIELDS.predictionsAffected)?.value ?? undefined,
    dataLoss: v(IMPACT_FIELDS.dataLoss)?.selected_option?.value ?? undefined,
  });
}

export function register(app: App, ctx: AppContext) {
  app.view(VIEWS.reviewImpact, async ({ ack, body, view }) => {
    const form = readImpactForm(view.state.values as StateValues);
    if (!form.success) {
      const field = String(form.error.issues[0]!.path[0]) as keyof typeof IMPACT_FIELDS;
      const block = IMPACT_FIELDS[field]?.block ?? IMPACT_FIELDS.usersAffected.block;
      await ack({ response_action: "errors", errors: { [block]: form.error.issues[0]!.message } });
      return;
    }
    const meta = Metadata.safeParse(safeJson(view.private_metadata));
    if (!meta.success) {
      await ack();
      return void (await replyError(ctx, staleControl(), { userId: body.user.id }, "review impact from modal"));
    }
    // The typed figures are committed before the modal closes (see settleSubmission).
    await settleSubmission(ctx, ack, setReviewImpact(ctx, meta.data.incidentId, body.user.id, form.data), {
      block: IMPACT_FIELDS.usersAffected.block,
      to: { userId: body.user.id, channelId: incidentChannel(ctx, meta.data.incidentId) },
      what: "review impact from modal",
    });
  });
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return {};
  }
}
