/** Every Slack identifier the app uses, in one place (commands, callbacks, actions, blocks). */

/** A Slack user id (`U…`, or `W…` on Enterprise Grid), as opposed to an alert source or a webhook's actor. */
export const isSlackUserId = (id: string | null | undefined): id is string => !!id && /^[UW][A-Z0-9]+$/.test(id);
export const COMMANDS = { incident: "/incident", gate: "/gate" } as const;

export const ACTIONS = {
  rollbackConfirm: "rollback_confirm",
  rollbackCancel: "rollback_cancel",
  itemOwner: "item_owner",
  itemDone: "item_done",
  itemNa: "item_na",
  itemMenu: "item_menu",
  itemReopen: "item_reopen",
  incidentAck: "incident_ack",
  declareFromAlert: "declare_from_alert",
  dismissAlert: "dismiss_alert",
  sendProductUpdate: "send_product_update",
  editProductUpdate: "edit_product_update",
  reviewImpact: "review_impact",
  reviewComplete: "review_complete",
  markResolved: "mark_resolved",
  markMitigated: "mark_mitigated",
  gateItemOwner: "gate_item_owner",
  gateItemDone: "gate_item_done",
  gateItemNa: "gate_item_na",
  gateApprove: "gate_approve",
  homeOpenItem: "home_open_item",
  gateItemMenu: "gate_item_menu",
  publishStatus: "publish_status",
  editStatus: "edit_status",
  publishMaintenance: "publish_maintenance",
  playbookShowAll: "playbook_show_all",
  joinIncident: "join_incident",
  headerLink: "header_link",
  stepOwner: "step_owner",
} as const;

export const VIEWS = {
  declare: "declare_incident",
  itemNa: "item_na_modal",
  itemOwner: "item_owner_modal",
  gateItemNa: "gate_item_na_modal",
  reviewImpact: "review_impact_modal",
  productUpdate: "product_update_modal",
  gateItemOwner: "gate_item_owner_modal",
  statusEdit: "status_edit_modal",
} as const;

/** block_id / action_id pairs of the status-page Edit modal. */
export const STATUS_EDIT_FIELDS = {
  name: { block: "status_name", action: "status_name_input" },
  text: { block: "status_text", action: "status_text_input" },
} as const;

/**
 * Matches an action id and its per-item suffixes (`item_done:playbook:3.1`): Slack wants action ids
 * unique within a message, so repeated controls carry the item in their id.
 */
export const actionPattern = (id: string) => new RegExp(`^${id}(:|$)`);

/** block_id / action_id pairs of the declare modal's inputs. */
export const DECLARE_FIELDS = {
  title: { block: "title", action: "title_input" },
  severity: { block: "severity", action: "severity_select" },
  category: { block: "category", action: "category_select" },
  service: { block: "service", action: "service_input" },
  summary: { block: "summary", action: "summary_input" },
  options: { block: "options", action: "options_checkboxes" },
} as const;

export const NA_FIELDS = { justification: { block: "justification", action: "justification_input" } } as const;
export const OWNER_FIELDS = { owner: { block: "owner", action: "owner_select" } } as const;

/** block_id / action_id pairs of the review impact modal. */
export const IMPACT_FIELDS = {
  usersAffected: { block: "impact_users", action: "impact_users_input" },
  revenue: { block: "impact_revenue", action: "impact_revenue_input" },
  predictionsAffected: { block: "impact_predictions", action: "impact_predictions_input" },
  dataLoss: { block: "impact_data_loss", action: "impact_data_loss_select" },
} as const;

/** Slack message metadata event types: let a restarted process find a message it posted before a crash. */
export const METADATA = {
  header: "incident_header",
  playbook: "incident_playbook",
  runbook: "incident_runbook",
  review: "incident_review",
  announcement: "incident_announcement",
} as const;

/** Metadata event type of a gate's message, so a render retried after a crash finds the message it posted. */
export const GATE_METADATA = "gate_message";
