import { ITEM_NUMBER_SOURCE } from "../checklist/numbering.js";
import { ACTIONS } from "./ids.js";

/**
 * What a checklist item's controls carry, written by blocks/ and read back by the listeners: one builder and one
 * parser per shape, all on the one item-number pattern. Button values and modal metadata name the item; block ids
 * name it too, because a users_select carries no value.
 */
export interface IncidentItemRef {
  incidentId: number;
  list: string;
  number: string;
}
export interface GateItemRef {
  gateId: number;
  number: string;
}

const LIST = "[a-z0-9:_-]{1,80}";
const INCIDENT_VALUE = new RegExp(`^(\\d{1,9})\\|(${LIST})\\|(${ITEM_NUMBER_SOURCE})$`, "i");
const INCIDENT_BLOCK = new RegExp(`^item\\|(${LIST})\\|(${ITEM_NUMBER_SOURCE})(\\||$)`, "i");
const GATE_VALUE = new RegExp(`^(\\d{1,9})\\|(${ITEM_NUMBER_SOURCE})$`);
const GATE_BLOCK = new RegExp(`^gate\\|(\\d{1,9})\\|(${ITEM_NUMBER_SOURCE})(\\||$)`);

/** `<incidentId>|<list>|<number>`. */
export const incidentItemValue = (incidentId: number, list: string, number: string) => `${incidentId}|${list}|${number}`;
export function parseIncidentItemValue(value: string | undefined): IncidentItemRef | null {
  const m = INCIDENT_VALUE.exec(value ?? "");
  return m ? { incidentId: Number(m[1]), list: m[2]!, number: m[3]! } : null;
}

/** `item|<list>|<number>`: the incident is the channel's. */
export const incidentItemBlockId = (list: string, number: string) => `item|${list}|${number}`;
export function parseIncidentItemBlockId(blockId: string | undefined): { list: string; number: string } | null {
  const m = INCIDENT_BLOCK.exec(blockId ?? "");
  return m ? { list: m[1]!, number: m[2]! } : null;
}

/** `<gateId>|<number>`. */
export const gateItemValue = (gateId: number, number: string) => `${gateId}|${number}`;
export function parseGateItemValue(value: string | undefined): GateItemRef | null {
  const m = GATE_VALUE.exec(value ?? "");
  return m ? { gateId: Number(m[1]), number: m[2]! } : null;
}

/** `gate|<gateId>|<number>`. */
export const gateItemBlockId = (gateId: number, number: string) => `gate|${gateId}|${number}`;
export function parseGateItemBlockId(blockId: string | undefined): GateItemRef | null {
  const m = GATE_BLOCK.exec(blockId ?? "");
  return m ? { gateId: Number(m[1]), number: m[2]! } : null;
}

const STEP_ACTION = new RegExp(`^${ACTIONS.stepOwner}:(${LIST}):([1-9]\\d{0,2})$`, "i");

/** `step_owner:<list>:<step>`: the *Assign step to…* picker of one step line (the incident is the channel's). */
export const stepOwnerActionId = (list: string, step: number) => `${ACTIONS.stepOwner}:${list}:${step}`;
export function parseStepOwnerActionId(actionId: string | undefined): { list: string; step: number } | null {
  const m = STEP_ACTION.exec(actionId ?? "");
  return m ? { list: m[1]!, step: Number(m[2]) } : null;
}
