import type { GateTemplate } from "./template-schema.js";
import { builtInTemplates } from "./templates/index.js";

/**
 * Built-in templates plus the team's own from GATE_TEMPLATES_DIR (loaded at start by gatesArea.onStart).
 * Module state on purpose: templates are read-only configuration, the same for every request of a process.
 */
let custom: readonly GateTemplate[] = [];

export function setCustomTemplates(templates: readonly GateTemplate[]): void {
  custom = Object.freeze([...templates]);
}

export function allTemplates(): readonly GateTemplate[] {
  return [...builtInTemplates, ...custom];
}

export function findTemplate(id: string): GateTemplate | undefined {
  const wanted = id.trim().toLowerCase();
  return allTemplates().find((t) => t.id === wanted);
}
