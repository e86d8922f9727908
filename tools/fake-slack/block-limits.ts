// Block Kit limits as Slack enforces them, so tests fail here instead of in a real workspace.
// Each problem is reported like Slack does: "<what> [json-pointer:/blocks/0/text/text]".
// The block and element types come from @slack/types (what blocks/ is typed against), so the fake and
// tsc accept the same shapes; test/unit/block-types.test.ts runs every presenter through these checks.
import type { ActionsBlockElement, InputBlockElement, KnownBlock, SectionBlockAccessory } from "@slack/web-api";

export const LIMITS = {
  messageBlocks: 50,
  surfaceBlocks: 100, // modals and the Home tab
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255, // action_id, block_id, callback_id
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  overflowOptions: 5,
  placeholder: 150,
  contextElements: 10,
  actionsElements: 25,
  inputLabel: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
} as const;

/**
 * Which of @slack/types' block types the fake accepts. Keyed by KnownBlock["type"], so tsc fails when
 * @slack/types adds or renames a block type until someone decides here whether the fake models it.
 */
const MODELLED_BLOCK_TYPES: Record<KnownBlock["type"], boolean> = {
  section: true,
  header: true,
  divider: true,
  context: true,
  actions: true,
  image: true,
  input: true,
  rich_text: true,
  file: true,
  video: true,
  markdown: true,
  context_actions: true,
  // Newer surfaces (work objects, agent and table blocks) the bot never sends: the fake refuses them.
  alert: false,
  card: false,
  carousel: false,
  container: false,
  data_table: false,
  plan: false,
  table: false,
  task_card: false,
};

const BLOCK_TYPES = new Set(
  Object.entries(MODELLED_BLOCK_TYPES)
    .filter(([, ok]) => ok)
    .map(([t]) => t),
);

/**
 * Element types allowed in an actions block, a section accessory or an input block: exactly the types
 * @slack/types allows there (a Record over the union, so the two lists cannot drift apart).
 */
type ElementType = (ActionsBlockElement | SectionBlockAccessory | InputBlockElement)["type"];
const ELEMENT_TYPE_LIST: Record<ElementType, true> = {
  button: true,
  checkboxes: true,
  datepicker: true,
  datetimepicker: true,
  email_text_input: true,
  file_input: true,
  image: true,
  number_input: true,
  overflow: true,
  plain_text_input: true,
  radio_buttons: true,
  rich_text_input: true,
  timepicker: true,
  url_text_input: true,
  workflow_button: true,
  users_select: true,
  static_select: true,
  conversations_select: true,
  channels_select: true,
  external_select: true,
  multi_users_select: true,
  multi_static_select: true,
  multi_conversations_select: true,
  multi_channels_select: true,
  multi_external_select: true,
};
const ELEMENT_TYPES = new Set(Object.keys(ELEMENT_TYPE_LIST));

const SELECTS_WITH_OPTIONS = new Set(["static_select", "multi_static_select", "radio_buttons", "checkboxes"]);

type Json = Record<string, any>;

/** Collects problems while walking one surface (a message or a view); ids are unique per surface. */
class Checker {
  readonly errors: string[] = [];
  private readonly actionIds = new Set<string>();
  private readonly blockIds = new Set<string>();

  problem(message: string, pointer: string): void {
    this.errors.push(`${message} [json-pointer:${pointer}]`);
  }

  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === "string" && value.length > max) {
      this.problem(`must be less than ${max + 1} characters (got ${value.length})`, pointer);
    }
  }

  textObject(value: unknown, pointer: string, max: number, opts: { plainOnly?: boolean } = {}): void {
    if (!isObject(value)) {
      this.problem("must provide an object", pointer);
      return;
    }
    if (value.type !== "plain_text" && value.type !== "mrkdwn") {
      this.problem(`must be a text object of type plain_text or mrkdwn (got ${String(value.type)})`, `${pointer}/type`);
    } else if (opts.plainOnly && value.type !== "plain_text") {
      this.problem("must be a plain_text text object", `${pointer}/type`);
    }
    if (typeof value.text !== "string" || value.text.length === 0) {
      this.problem("must be more than 0 characters", `${pointer}/text`);
      return;
    }
    this.maxLength(value.text, max, `${pointer}/text`);
  }

  id(kind: "action_id" | "block_id", value: unknown, pointer: string): void {
    if (value === undefined) return;
    if (typeof value !== "string" || value.length === 0) {
      this.problem(`${kind} must be a non-empty string`, pointer);
      return;
    }
    this.maxLength(value, LIMITS.id, pointer);
    const seen = kind === "action_id" ? this.actionIds : this.blockIds;
    if (seen.has(value)) this.problem(`${kind} "${value}" is already used on this surface; it must be unique`, pointer);
    seen.add(value);
  }

  blocks(blocks: unknown, max: number, pointer = "/blocks"): void {
    if (!Array.isArray(blocks)) {
      this.problem("blocks must be an array", pointer);
      return;
    }
    if (blocks.length > max) this.problem(`no more than ${max} items allowed (got ${blocks.length})`, pointer);
    for (const [i, block] of blocks.entries()) this.block(block, `${pointer}/${i}`);
  }

  private block(block: unknown, p: string): void {
    if (!isObject(block)) {
      this.problem("must provide an object", p);
      return;
    }
    if (typeof block.type !== "string" || !BLOCK_TYPES.has(block.type)) {
      this.problem(`unknown block type ${JSON.stringify(block.type)}`, `${p}/type`);
      return;
    }
    this.id("block_id", block.block_id, `${p}/block_id`);
    if (block.type === "section") this.section(block, p);
    else if (block.type === "header") {
      this.textObject(block.text, `${p}/text`, LIMITS.headerText, { plainOnly: true });
    } else if (block.type === "context") this.context(block, p);
    else if (block.type === "actions") this.actions(block, p);
    else if (block.type === "input") this.input(block, p);
    else if (block.type === "image") {
      if (typeof block.image_url !== "string" && !isObject(block.slack_file)) {
        this.problem("must provide image_url or slack_file", p);
      }
      this.maxLength(block.image_url, LIMITS.url, `${p}/image_url`);
    }
  }

  private section(block: Json, p: string): void {
    if (block.text === undefined && block.fields === undefined) {
      this.problem("must provide text or fields", p);
    }
    if (block.text !== undefined) this.textObject(block.text, `${p}/text`, LIMITS.sectionText);
    if (block.fields !== undefined) {
      if (!Array.isArray(block.fields)) {
        this.problem("fields must be an array", `${p}/fields`);
      } else {
        if (block.fields.length > LIMITS.sectionFields) {
          this.problem(`no more than ${LIMITS.sectionFields} items allowed (got ${block.fields.length})`, `${p}/fields`);
        }
        for (const [i, f] of block.fields.entries()) this.textObject(f, `${p}/fields/${i}`, LIMITS.sectionFieldText);
      }
    }
    if (block.accessory !== undefined) this.element(block.accessory, `${p}/accessory`);
  }

  private context(block: Json, p: string): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.problem("must provide at least one element", `${p}/elements`);
      return;
    }
    if (elements.length > LIMITS.contextElements) {
      this.problem(`no more than ${LIMITS.contextElements} items allowed (got ${elements.length})`, `${p}/elements`);
    }
    elements.forEach((el, i) => {
      const ep = `${p}/elements/${i}`;
      if (isObject(el) && el.type === "image") return;
      this.textObject(el, ep, LIMITS.sectionText);
    });
  }

  private actions(block: Json, p: string): void {
    const elements = block.elements;
    if (!Array.isArray(elements) || elements.length === 0) {
      this.problem("must provide at least one element", `${p}/elements`);
      return;
    }
    if (elements.length > LIMITS.actionsElements) {
      this.problem(`no more than ${LIMITS.actionsElements} items allowed (got ${elements.length})`, `${p}/elements`);
    }
    for (const [i, el] of elements.entries()) this.element(el, `${p}/elements/${i}`);
  }

  private input(block: Json, p: string): void {
    this.textObject(block.label, `${p}/label`, LIMITS.inputLabel, { plainOnly: true });
    if (block.hint !== undefined) this.textObject(block.hint, `${p}/hint`, LIMITS.inputLabel, { plainOnly: true });
    if (block.element === undefined) this.problem("must provide an element", `${p}/element`);
    else this.element(block.element, `${p}/element`);
  }

  private element(el: unknown, p: string): void {
    if (!isObject(el)) {
      this.problem("must provide an object", p);
      return;
    }
    if (typeof el.type !== "string" || !ELEMENT_TYPES.has(el.type)) {
      this.problem(`unknown element type ${JSON.stringify(el.type)}`, `${p}/type`);
      return;
    }
    this.id("action_id", el.action_id, `${p}/action_id`);
    if (el.placeholder !== undefined) {
      this.textObject(el.placeholder, `${p}/placeholder`, LIMITS.placeholder, { plainOnly: true });
    }
    if (el.type === "button") {
      this.textObject(el.text, `${p}/text`, LIMITS.buttonText, { plainOnly: true });
      this.maxLength(el.value, LIMITS.buttonValue, `${p}/value`);
      this.maxLength(el.url, LIMITS.url, `${p}/url`);
    } else if (el.type === "overflow") {
      this.options(el.options, `${p}/options`, LIMITS.overflowOptions);
    } else if (SELECTS_WITH_OPTIONS.has(el.type)) {
      if (el.option_groups !== undefined) {
        if (!Array.isArray(el.option_groups)) this.problem("option_groups must be an array", `${p}/option_groups`);
        else {
          for (const [i, g] of el.option_groups.entries()) this.options(g?.options, `${p}/option_groups/${i}/options`);
        }
      } else {
        this.options(el.options, `${p}/options`);
      }
    }
  }

  private options(options: unknown, p: string, max: number = LIMITS.selectOptions): void {
    if (!Array.isArray(options)) {
      this.problem("options must be an array", p);
      return;
    }
    if (options.length > max) this.problem(`no more than ${max} items allowed (got ${options.length})`, p);
    options.forEach((o, i) => {
      const op = `${p}/${i}`;
      if (!isObject(o)) {
        this.problem("must provide an object", op);
        return;
      }
      this.textObject(o.text, `${op}/text`, LIMITS.optionText);
      if (typeof o.value !== "string") this.problem("must provide a string value", `${op}/value`);
      else this.maxLength(o.value, LIMITS.optionValue, `${op}/value`);
    });
  }
}

/** Checks a message (chat.postMessage / chat.update / chat.postEphemeral / response_url) payload. */
export function checkMessage(msg: { text?: unknown; blocks?: unknown; attachments?: unknown }): string[] {
  const c = new Checker();
  if (typeof msg.text === "string" && msg.text.length > LIMITS.messageText) {
    c.problem(`message text must be less than ${LIMITS.messageText + 1} characters (got ${msg.text.length})`, "/text");
  }
  if (msg.blocks !== undefined) c.blocks(msg.blocks, LIMITS.messageBlocks);
  if (Array.isArray(msg.attachments)) {
    msg.attachments.forEach((a, i) => {
      if (isObject(a) && a.blocks !== undefined) c.blocks(a.blocks, LIMITS.messageBlocks, `/attachments/${i}/blocks`);
    });
  }
  return c.errors;
}

/** Checks a view (views.open / views.push / views.update / views.publish). */
export function checkView(view: unknown): string[] {
  const c = new Checker();
  if (!isObject(view)) {
    c.problem("must provide an object", "/view");
    return c.errors;
  }
  if (view.type !== "modal" && view.type !== "home") {
    c.problem(`view type must be modal or home (got ${JSON.stringify(view.type)})`, "/view/type");
  }
  if (view.type === "modal") {
    c.textObject(view.title, "/view/title", LIMITS.modalTitle, { plainOnly: true });
    if (view.submit !== undefined) c.textObject(view.submit, "/view/submit", LIMITS.modalButton, { plainOnly: true });
    if (view.close !== undefined) c.textObject(view.close, "/view/close", LIMITS.modalButton, { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && view.submit === undefined) c.problem("a modal with input blocks must provide submit", "/view");
  }
  c.maxLength(view.private_metadata, LIMITS.privateMetadata, "/view/private_metadata");
  c.maxLength(view.callback_id, LIMITS.id, "/view/callback_id");
  c.blocks(view.blocks, LIMITS.surfaceBlocks, "/view/blocks");
  return c.errors;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
