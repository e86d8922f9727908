import type { z } from "zod";
import type { Criterion } from "../gates/template-schema.js";
import type { ItemEventSchemas } from "./item-events.js";

/**
 * One checklist item, whichever list it is on: an incident's playbook (`playbook`), a runbook attached to it
 * (`runbook:<id>`) or a release gate (`gate`). Every view, presenter and change of an item uses this shape.
 */
export interface ChecklistItem {
  number: string;
  /** Stable slug from the template, e.g. `p99-latency`: an item can be named by it instead of its number. */
  key: string;
  text: string;
  /** The step (DETECT, a runbook step) or gate section the item is in. */
  sectionKey: string;
  sectionTitle: string;
  ownerId: string | null;
  state: string; // todo | done | na
  /** Why an N/A item does not apply. */
  justification: string | null;
  completedBy: string | null;
  completedAt: Date | null;
  /** A measured criterion (gate items from templates that give one): done needs a passing recorded value. */
  criterion: Criterion | null;
  measuredValue: number | null;
  measuredText: string | null;
  measuredPassing: boolean | null;
}

/** The item events (src/checklist/item-events.ts), members of both the timeline and the gate event unions. */
export type ItemEvent = z.infer<(typeof ItemEventSchemas)[number]>;
