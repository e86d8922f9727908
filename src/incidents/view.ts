import type { ChecklistItemView, IncidentView } from "../../blocks/incident.js";
import type { Prisma } from "../db.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;
type ItemRow = Prisma.ChecklistItemGetPayload<object>;

export function toIncidentView(i: IncidentRow): IncidentView {
  return {
    id: i.id,
    title: i.title,
    severity: i.severity,
    status: i.status,
    category: i.category,
    service: i.service,
    summary: i.summary,
    escalation: i.escalation,
    leadId: i.leadId,
    commsId: i.commsId,
    declaredBy: i.declaredBy,
    isPrivate: i.isPrivate,
    userFacing: i.userFacing,
    detectedAt: i.detectedAt,
    acknowledgedAt: i.acknowledgedAt,
    mitigatedAt: i.mitigatedAt,
    resolvedAt: i.resolvedAt,
  };
}

export function toItemView(i: ItemRow): ChecklistItemView {
  return {
    number: i.number,
    stepKey: i.stepKey,
    stepTitle: i.stepTitle,
    text: i.text,
    ownerId: i.ownerId,
    state: i.state,
    justification: i.justification,
    completedBy: i.completedBy,
  };
}
