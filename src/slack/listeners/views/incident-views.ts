import { esc } from "../../../../blocks/text.js";
import type { App, ViewStateValue } from "@slack/bolt";
import { z } from "zod";
import type { AppContext } from "../../../context.js";
import { declareIncident } from "../../../incidents/declare-incident.js";
import { incidentRef } from "../../../incidents/naming.js";
import { CategorySchema, SeveritySchema } from "../../../incidents/types.js";
import { DECLARE_FIELDS, VIEWS } from "../../../chat/ids.js";
import { beforeDeadline, describeError, DURABLE_ACK_DEADLINE_MS, viewErrors } from "../../reply-error.js";

type StateValues = Record<string, Record<string, ViewStateValue>>;

const DeclareForm = z.object({
  title: z.string().trim().min(1, "Give the incident a title.").max(150),
  severity: SeveritySchema,
  category: CategorySchema.nullable(),
  service: z.string().trim().max(120).nullable(),
  summary: z.string().trim().max(2000).nullable(),
  isPrivate: z.boolean(),
});

const DeclareMetadata = z.object({ channelId: z.string().optional(), alertId: z.number().optional() }).catch({});

export function readDeclareForm(values: StateValues) {
  const v = (f: { block: string; action: string }) => values[f.block]?.[f.action];
  return DeclareForm.safeParse({
    title: v(DECLARE_FIELDS.title)?.value ?? "",
    severity: v(DECLARE_FIELDS.severity)?.selected_option?.value ?? "P2",
    category: v(DECLARE_FIELDS.category)?.selected_option?.value ?? null,
    service: v(DECLARE_FIELDS.service)?.value || null,
    summary: v(DECLARE_FIELDS.summary)?.value || null,
    isPrivate: (v(DECLARE_FIELDS.options)?.selected_options ?? []).some((o) => o.value === "private"),
  });
}

export function register(app: App, ctx: AppContext) {
  app.view(VIEWS.declare, async ({ ack, body, view }) => {
    const form = readDeclareForm(view.state.values as StateValues);
    if (!form.success) {
      const issue = form.error.issues[0]!;
      const field = String(issue.path[0]);
      const block = (DECLARE_FIELDS as Record<string, { block: string }>)[field]?.block ?? DECLARE_FIELDS.title.block;
      await ack({ response_action: "errors", errors: { [block]: issue.message } });
      return;
    }
    const meta = DeclareMetadata.parse(safeJson(view.private_metadata));
    const tell = (text: string) =>
      meta.channelId
        ? ctx.chat.postEphemeral(meta.channelId, body.user.id, { text }).then(
            () => {},
            () => {},
          )
        : Promise.resolve();
    // The view id makes a double submit (or Slack's retry) return the first incident.
    const work = declareIncident(ctx, { ...form.data, declaredBy: body.user.id, source: "modal", requestKey: `view:${view.id}` });
    // The modal closes once the declaration is committed. Past the deadline it closes anyway (Slack would show an
    // error otherwise) and the outcome, success or failure, is posted to the channel instead.
    const inTime = await beforeDeadline(work, DURABLE_ACK_DEADLINE_MS);
    if (!inTime) await ack();
    try {
      const { incident } = await work;
      if (inTime) await ack();
      ctx.metrics.commands.inc({ command: "incident", subcommand: "declare-modal", outcome: "ok" });
      await tell(
        `🚨 ${incidentRef(incident.id)} declared (${incident.severity}): ${esc(incident.title)}. Its channel is being set up; you will be invited.`,
      );
    } catch (e) {
      const { text: message, outcome } = describeError(ctx.log, e, "declare from modal");
      ctx.metrics.commands.inc({ command: "incident", subcommand: "declare-modal", outcome });
      if (inTime) await ack(viewErrors(DECLARE_FIELDS.title.block, message));
      else await tell(`The incident could not be declared: ${message}`);
    }
  });
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return {};
  }
}
