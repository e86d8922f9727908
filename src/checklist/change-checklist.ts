import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { evaluateCriterion, parseMeasuredValue } from "../gates/criteria.js";
import type { ChecklistItem, ItemEvent } from "./item.js";
import { parseItemNumber } from "./numbering.js";

type Tx = Prisma.TransactionClient;

/** What a person can do to an item, from a command, a button, a menu or a modal. */
export type ItemChange =
  | { kind: "owner"; ownerId: string }
  | { kind: "done" }
  | { kind: "na"; justification: string }
  | { kind: "reopen" }
  | { kind: "record"; input: string };

/** The item fields a change writes. */
export type ItemPatch = Partial<
  Pick<
    ChecklistItem,
    "ownerId" | "state" | "justification" | "completedBy" | "completedAt" | "measuredValue" | "measuredText" | "measuredPassing"
  >
>;

/** One applied change: the fields to write, its item event, and that event told in a line (the incident timeline shows it). */
export interface AppliedChange {
  patch: ItemPatch;
  event: ItemEvent;
  text: string;
}

/** How one list differs: the wording of its errors, and who owns an item nobody owned when it is closed. */
export interface ChecklistRules {
  /** The list its events name: `playbook`, `runbook:<id>`, `gate`. */
  list: string;
  /** `G-3`, `INC-7's playbook`: how errors name the list. */
  name: string;
  /** Where its numbers are shown: `the pinned playbook`. */
  where: string;
  /** Incidents: whoever closes an unowned item becomes its owner, so every item ends with one. Gates: no (an owner is named, and the approver must own none). */
  closerOwns: boolean;
  /** The usage line a refused change carries. */
  usage: (change: ItemChange["kind"]) => string | undefined;
  /** The commands a refusal points to: record a value for item `n`, mark it done. */
  recordHint?: (number: string) => string;
  doneHint?: (number: string) => string;
}

/**
 * Where a list's items live (ChecklistItem rows of an incident, GateItem rows of a gate): the parent's one change
 * path (lock its row, its own rules such as a frozen gate, write the events, queue the re-render, one transaction)
 * and the item rows. Thin: every item rule is in this file.
 */
export interface ChecklistStore<P> {
  rules: ChecklistRules;
  change<T>(
    ctx: AppContext,
    actorId: string,
    fn: (tx: Tx, items: ChecklistItem[], now: Date) => Promise<{ applied: AppliedChange[]; result: T }>,
  ): Promise<{ parent: P; result: T }>;
  save(tx: Tx, number: string, patch: ItemPatch): Promise<void>;
}

export interface ChecklistOutcome {
  /** The item before the change. */
  item: ChecklistItem;
  /** False when the change was there already (Done pressed twice, the same owner again). */
  changed: boolean;
  /** Set by `record`: how the value compares with the criterion, and whether a done item went back to todo. */
  measured?: { passing: boolean; text: string; reopened: boolean };
}

/** An item by its number (`2.3`) or its key (`p99-latency`); a clear error naming the list's numbers otherwise. */
export function findItem(items: readonly ChecklistItem[], ref: string | undefined, rules: ChecklistRules, usage?: string): ChecklistItem {
  const wanted = (ref ?? "").trim();
  if (!wanted) throw new AppError("usage", `Name the item of ${rules.name}, e.g. 1.2.`, usage);
  const number = parseItemNumber(wanted);
  const item = number ? items.find((i) => i.number === number) : items.find((i) => i.key === wanted.toLowerCase());
  if (!item) {
    const range = items.length > 0 ? `its items are numbered ${items[0]!.number} to ${items.at(-1)!.number}` : "it has no items";
    throw new AppError("not_found", `${rules.name} has no item "${wanted.slice(0, 40)}"; ${range} as in ${rules.where}.`, usage);
  }
  return item;
}

/** Checks what can be checked before the transaction (a justification's length). */
function checkChange(change: ItemChange, usage: string | undefined): ItemChange {
  if (change.kind !== "na") return change;
  const why = change.justification.trim();
  if (why.length < 3) throw new AppError("usage", "N/A needs a justification: say why the item does not apply.", usage);
  if (why.length > 1000) throw new AppError("usage", "The justification is too long (1000 characters at most).", usage);
  return { kind: "na", justification: why };
}

/**
 * The item rules, pure: what a change writes and the event it records, or null when it changes nothing.
 * A measured item is done only with a passing value; a failing value sets a done item back to todo.
 */
export function applyItemChange(
  item: ChecklistItem,
  change: ItemChange,
  actorId: string,
  now: Date,
  rules: ChecklistRules,
): (AppliedChange & { measured?: ChecklistOutcome["measured"] }) | null {
  const { number } = item;
  const list = rules.list;
  const line = `${number} ${item.text}`;
  const owner = rules.closerOwns ? { ownerId: item.ownerId ?? actorId } : {};
  switch (change.kind) {
    case "owner":
      if (item.ownerId === change.ownerId) return null;
      return {
        patch: { ownerId: change.ownerId },
        event: { kind: "item.owner_set", data: { list, number, ownerId: change.ownerId, previous: item.ownerId } },
        text: `${line}: owner <@${change.ownerId}>`,
      };
    case "done":
      if (item.state === "done") return null;
      if (item.criterion && item.measuredPassing !== true) {
        const why =
          item.measuredPassing === false ? `the recorded value fails it (${item.measuredText})` : "no value has been recorded yet";
        throw new AppError(
          "conflict",
          `${number} has a measured criterion (${item.criterion.label}) and ${why}. Record a passing value first${rules.recordHint ? `: ${rules.recordHint(number)}` : ""}.`,
        );
      }
      return {
        patch: { state: "done", completedBy: actorId, completedAt: now, justification: null, ...owner },
        event: { kind: "item.completed", data: { list, number, previous: item.state } },
        text: `${line}: done`,
      };
    case "na":
      if (item.state === "na" && item.justification === change.justification) return null;
      return {
        patch: { state: "na", justification: change.justification, completedBy: actorId, completedAt: now, ...owner },
        event: { kind: "item.marked_na", data: { list, number, justification: change.justification, previous: item.state } },
        text: `${line}: N/A (${change.justification})`,
      };
    case "reopen":
      if (item.state === "todo") return null;
      return {
        patch: { state: "todo", completedBy: null, completedAt: null, justification: null },
        event: { kind: "item.reopened", data: { list, number } },
        text: `${line}: reopened`,
      };
    case "record": {
      if (!item.criterion) {
        throw new AppError(
          "invalid",
          `${number} of ${rules.name} has no measured criterion, so there is nothing to record${rules.doneHint ? `; mark it with ${rules.doneHint(number)}` : ""}.`,
        );
      }
      const input = change.input.trim();
      const parsed = parseMeasuredValue(input, item.criterion);
      if (!parsed.ok)
        throw new AppError("invalid", `Cannot record "${input.slice(0, 60)}" for ${number}: ${parsed.error}.`, rules.usage("record"));
      const { passing, text } = evaluateCriterion(item.criterion, parsed.value);
      const reopened = !passing && item.state === "done";
      return {
        patch: {
          measuredValue: parsed.value,
          measuredText: text,
          measuredPassing: passing,
          ...(reopened ? { state: "todo", completedBy: null, completedAt: null } : {}),
        },
        event: { kind: "item.measured", data: { list, number, input, value: parsed.value, passing, text, reopened } },
        text: `${line}: measured ${text}${reopened ? " (reopened)" : ""}`,
        measured: { passing, text, reopened },
      };
    }
  }
}

/**
 * THE way to change a checklist item, for incidents and gates alike: through the parent's change path (lock,
 * its rules), find the item, apply the item rules, save, record the typed event, re-render. Two people
 * pressing Done at once serialise on the lock into one event.
 */
export async function changeChecklist<P>(
  ctx: AppContext,
  store: ChecklistStore<P>,
  actorId: string,
  ref: string | undefined,
  change: ItemChange,
): Promise<{ parent: P; outcome: ChecklistOutcome }> {
  const usage = store.rules.usage(change.kind);
  const checked = checkChange(change, usage);
  const { parent, result } = await store.change(ctx, actorId, async (tx, items, now) => {
    const item = findItem(items, ref, store.rules, usage);
    const applied = applyItemChange(item, checked, actorId, now, store.rules);
    if (!applied) return { applied: [], result: { item, changed: false } };
    await store.save(tx, item.number, applied.patch);
    const outcome: ChecklistOutcome = { item, changed: true, ...(applied.measured ? { measured: applied.measured } : {}) };
    return { applied: [applied], result: outcome };
  });
  return { parent, outcome: result };
}

/**
 * The same change to several items in one transaction (*Assign step to…*): `pick` chooses them from the list
 * (and refuses a wrong choice), each goes through the item rules, and each item changed records its own event.
 */
export async function changeChecklistItems<P>(
  ctx: AppContext,
  store: ChecklistStore<P>,
  actorId: string,
  pick: (items: readonly ChecklistItem[]) => ChecklistItem[],
  change: ItemChange,
): Promise<{ parent: P; outcomes: ChecklistOutcome[] }> {
  const checked = checkChange(change, store.rules.usage(change.kind));
  const { parent, result } = await store.change(ctx, actorId, async (tx, items, now) => {
    const applied: AppliedChange[] = [];
    const outcomes: ChecklistOutcome[] = [];
    for (const item of pick(items)) {
      const a = applyItemChange(item, checked, actorId, now, store.rules);
      outcomes.push({ item, changed: !!a });
      if (!a) continue;
      await store.save(tx, item.number, a.patch);
      applied.push(a);
    }
    return { applied, result: outcomes };
  });
  return { parent, outcomes: result };
}
