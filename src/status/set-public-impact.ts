import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { changeIncident } from "../incidents/change-incident.js";
import { STATUSPAGE_USAGE } from "./draft-status-update.js";
import { incidentComponents } from "./incident-impact.js";
import { COMPONENT_STATUSES, type ComponentStatus, PUBLIC_STATUSES, type PublicIncidentStatus } from "./public-status.js";

// under_maintenance is for scheduled maintenance, not incidents (as on Atlassian Statuspage).
const INCIDENT_COMPONENT_STATUSES = COMPONENT_STATUSES.filter((s) => s !== "under_maintenance");

/** `statuspage status <s>`: the public status the next published update carries (nothing is public until then). */
export async function setPublicStatus(ctx: AppContext, incidentId: number, actorId: string, raw: string): Promise<PublicIncidentStatus> {
  const s = raw.trim().toLowerCase();
  if (!(PUBLIC_STATUSES as readonly string[]).includes(s))
    throw new AppError(
      "usage",
      `The public status is one of ${PUBLIC_STATUSES.join(", ")}${s ? `, not "${raw.trim()}"` : ""}.`,
      STATUSPAGE_USAGE,
    );
  const status = s as PublicIncidentStatus;
  await changeIncident(ctx, incidentId, actorId, async () => ({
    data: { publicStatus: status },
    events: [
      {
        event: { kind: "statuspage.impact_set", data: { status } },
        text: `Public status set to ${status} (shown from the next published update)`,
      },
    ],
  }));
  return status;
}

/** `statuspage component <id> <status>`: a component's public status from the next published update. */
export async function setPublicComponent(
  ctx: AppContext,
  incidentId: number,
  actorId: string,
  rawId: string,
  rawStatus: string,
): Promise<{ id: string; name: string; status: ComponentStatus }> {
  const comps = ctx.config.statusPage.components;
  const id = rawId.trim().toLowerCase();
  const comp = comps.find((c) => c.id === id);
  if (!comp) {
    throw new AppError(
      "usage",
      `${id ? `There is no component "${rawId.trim()}"` : "Name a component"}. Components: ${comps.map((c) => `\`${c.id}\` (${c.name})`).join(", ")}.`,
      STATUSPAGE_USAGE,
    );
  }
  const s = rawStatus.trim().toLowerCase();
  if (!(INCIDENT_COMPONENT_STATUSES as readonly string[]).includes(s)) {
    throw new AppError(
      "usage",
      `A component's status is one of ${INCIDENT_COMPONENT_STATUSES.join(", ")}${s ? `, not "${rawStatus.trim()}"` : ""}.`,
      STATUSPAGE_USAGE,
    );
  }
  const status = s as ComponentStatus;
  await changeIncident(ctx, incidentId, actorId, async (_tx, inc) => ({
    data: { publicComponents: { ...incidentComponents(ctx.config.statusPage, inc), [id]: status } },
    events: [
      {
        event: { kind: "statuspage.impact_set", data: { component: id, componentStatus: status } },
        text: `Status-page component ${comp.name} set to ${status} (shown from the next published update)`,
      },
    ],
  }));
  return { id, name: comp.name, status };
}

/** `statuspage name <text>`: the incident's public name (confirmed by a person, so it may be anything they typed). */
export async function setPublicName(ctx: AppContext, incidentId: number, actorId: string, raw: string): Promise<string> {
  const name = raw.trim();
  if (!name || name.length > 120) throw new AppError("usage", "Give the incident's public name (1 to 120 characters).", STATUSPAGE_USAGE);
  await changeIncident(ctx, incidentId, actorId, async () => ({
    data: { publicName: name },
    events: [
      {
        event: { kind: "statuspage.impact_set", data: { name } },
        text: `Public name set to "${name}" (shown from the next published update)`,
      },
    ],
  }));
  return name;
}
