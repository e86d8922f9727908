import { z } from "zod";
import { parseSettingsFile, readSettingsFile } from "../text/settings-file.js";

const COMPONENT_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const StatusComponentSchema = z
  .object({
    id: z.string().regex(COMPONENT_ID, "must be a short lowercase id like api or lead-scoring (letters, digits, - and _)"),
    name: z.string().trim().min(1, "must be a non-empty name end users will read").max(100, "must be at most 100 characters"),
    description: z.string().trim().max(500, "must be at most 500 characters").optional(),
    group: z.string().trim().min(1).max(100).optional(),
    statuspageId: z.string().trim().min(1, "must be the component's id on Atlassian Statuspage").optional(),
    services: z.array(z.string().trim().min(1)).default([]),
    models: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();
export type StatusComponent = z.output<typeof StatusComponentSchema>;

const StatusPageFileSchema = z
  .object({
    title: z.string().trim().min(1, "must be the page's name, e.g. Acme status").max(100).default("Status"),
    components: z.array(StatusComponentSchema).min(1, "must list at least one component"),
  })
  .strict();

export interface StatusPageSettings {
  title: string;
  components: StatusComponent[];
}

/** Without STATUS_PAGE_FILE the page shows one component, "Service", that every incident affects. */
export const DEFAULT_STATUS_PAGE: StatusPageSettings = {
  title: "Status",
  components: [{ id: "service", name: "Service", services: [], models: [] }],
};

/** Reads STATUS_PAGE_FILE (YAML or JSON). Throws an Error with one line naming the file, the entry and the field. */
export function loadStatusPageFile(path: string): StatusPageSettings {
  return parseStatusPage(readSettingsFile(path), path);
}

export function parseStatusPage(text: string, filename: string): StatusPageSettings {
  return parseSettingsFile(text, filename, StatusPageFileSchema, { field: "components", key: "id" });
}

/** The components an incident's service / model map onto; none mapped → every component of a one-component page. */
export function componentsFor(settings: StatusPageSettings, service: string | null, model: string | null): string[] {
  const names = [service, model].filter((n): n is string => !!n);
  const hit = settings.components.filter((c) => names.some((n) => c.services.includes(n) || c.models.includes(n) || c.id === n));
  if (hit.length) return hit.map((c) => c.id);
  return settings.components.length === 1 ? [settings.components[0]!.id] : [];
}
