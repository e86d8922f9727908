import type { ModalView, PlainTextOption } from "@slack/web-api";
import { DECLARE_FIELDS, NA_FIELDS, OWNER_FIELDS, VIEWS } from "../src/chat/ids.js";
import { plain, truncate } from "./text.js";

const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

export interface DeclarePrefill {
  title?: string;
  severity?: string;
  category?: string | null;
  service?: string | null;
  summary?: string | null;
}

/** The declare form: title, severity P1–P4, category, affected service or model, summary, private. */
export function declareModal(prefill: DeclarePrefill = {}, privateMetadata = ""): ModalView {
  const severities = [option("P1 — critical", "P1"), option("P2 — major", "P2"), option("P3 — minor", "P3"), option("P4 — low", "P4")];
  const categories = [
    option("Data issue", "data"),
    option("Model degradation", "model"),
    option("Infrastructure", "infrastructure"),
    option("Integration", "integration"),
  ];
  const sev = severities.find((o) => o.value === (prefill.severity ?? "P2"));
  const cat = categories.find((o) => o.value === prefill.category);
  return {
    type: "modal",
    callback_id: VIEWS.declare,
    private_metadata: truncate(privateMetadata, 3000),
    title: plain("Declare incident"),
    submit: plain("Declare"),
    close: plain("Cancel"),
    blocks: [
      {
        type: "input",
        block_id: DECLARE_FIELDS.title.block,
        label: plain("Title"),
        element: {
          type: "plain_text_input",
          action_id: DECLARE_FIELDS.title.action,
          max_length: 150,
          ...(prefill.title ? { initial_value: truncate(prefill.title, 150) } : {}),
          placeholder: plain("What is broken, in a few words"),
        },
      },
      {
        type: "input",
        block_id: DECLARE_FIELDS.severity.block,
        label: plain("Severity"),
        element: { type: "static_select", action_id: DECLARE_FIELDS.severity.action, options: severities, initial_option: sev },
      },
      {
        type: "input",
        optional: true,
        block_id: DECLARE_FIELDS.category.block,
        label: plain("Failure category"),
        element: {
          type: "static_select",
          action_id: DECLARE_FIELDS.category.action,
          options: categories,
          ...(cat ? { initial_option: cat } : {}),
        },
      },
      {
        type: "input",
        optional: true,
        block_id: DECLARE_FIELDS.service.block,
        label: plain("Affected service or model"),
        element: {
          type: "plain_text_input",
          action_id: DECLARE_FIELDS.service.action,
          max_length: 120,
          ...(prefill.service ? { initial_value: truncate(prefill.service, 120) } : {}),
        },
      },
      {
        type: "input",
        optional: true,
        block_id: DECLARE_FIELDS.summary.block,
        label: plain("Summary"),
        element: {
          type: "plain_text_input",
          action_id: DECLARE_FIELDS.summary.action,
          multiline: true,
          max_length: 2000,
          ...(prefill.summary ? { initial_value: truncate(prefill.summary, 2000) } : {}),
        },
      },
      {
        type: "input",
        optional: true,
        block_id: DECLARE_FIELDS.options.block,
        label: plain("Options"),
        element: {
          type: "checkboxes",
          action_id: DECLARE_FIELDS.options.action,
          options: [option("Private incident (private channel, left out of public lists)", "private")],
        },
      },
    ],
  };
}

/** N/A needs a justification: the modal will not submit without one. */
export function naModal(itemLabel: string, privateMetadata: string, callbackId: string = VIEWS.itemNa): ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    private_metadata: truncate(privateMetadata, 3000),
    title: plain("Mark N/A"),
    submit: plain("Mark N/A"),
    close: plain("Cancel"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(itemLabel, 2900) } },
      {
        type: "input",
        block_id: NA_FIELDS.justification.block,
        label: plain("Why does this item not apply?"),
        element: { type: "plain_text_input", action_id: NA_FIELDS.justification.action, multiline: true, min_length: 3, max_length: 1000 },
      },
    ],
  };
}

export function ownerModal(itemLabel: string, privateMetadata: string, callbackId: string = VIEWS.itemOwner): ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    private_metadata: truncate(privateMetadata, 3000),
    title: plain("Assign owner"),
    submit: plain("Assign"),
    close: plain("Cancel"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(itemLabel, 2900) } },
      {
        type: "input",
        block_id: OWNER_FIELDS.owner.block,
        label: plain("Owner"),
        element: { type: "users_select", action_id: OWNER_FIELDS.owner.action },
      },
    ],
  };
}
