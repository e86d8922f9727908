import type { StatusPageSettings } from "./page-file.js";
import { componentsFor } from "./page-file.js";
import {
  COMPONENT_STATUSES,
  type ComponentStatus,
  DEFAULT_PUBLIC_NAME,
  type PublicIncidentStatus,
  publicStatusOf,
} from "./public-status.js";

interface ImpactSource {
  status: string;
  service: string | null;
  modelName: string | null;
  publicName: string | null;
  publicStatus: string | null;
  publicComponents: unknown;
}

/** The component statuses an incident would publish: chosen ones over the default mapping of its service / model. */
export function incidentComponents(settings: StatusPageSettings, inc: ImpactSource): Record<string, ComponentStatus> {
  const out: Record<string, ComponentStatus> = {};
  for (const id of componentsFor(settings, inc.service, inc.modelName)) out[id] = "degraded_performance";
  const chosen = inc.publicComponents && typeof inc.publicComponents === "object" ? (inc.publicComponents as Record<string, unknown>) : {};
  const known = new Set(settings.components.map((c) => c.id));
  for (const [id, s] of Object.entries(chosen)) {
    if (known.has(id) && (COMPONENT_STATUSES as readonly string[]).includes(String(s))) out[id] = s as ComponentStatus;
  }
  return out;
}

/** The public status an incident would publish: the one chosen with `statuspage status`, else its own status in public words. */
export function incidentPublicStatus(inc: ImpactSource, drafted?: string | null): PublicIncidentStatus {
  return publicStatusOf(drafted ?? inc.publicStatus ?? inc.status);
}

/** A plain-language default name: the affected components' public names, never the internal title. */
export function defaultPublicName(settings: StatusPageSettings, inc: ImpactSource): string {
  if (settings.components.length < 2) return DEFAULT_PUBLIC_NAME;
  const ids = Object.keys(incidentComponents(settings, inc));
  const names = settings.components.filter((c) => ids.includes(c.id)).map((c) => c.name);
  if (!names.length) return DEFAULT_PUBLIC_NAME;
  return `${names.length > 2 ? `${names.slice(0, 2).join(", ")} and others` : names.join(" and ")}: service disruption`.slice(0, 120);
}
