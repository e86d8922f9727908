import type { ChecklistItem } from "../checklist/item.js";
import type { Prisma } from "../db.js";

type IncidentRow = Prisma.IncidentGetPayload<object>;

/** What the incident header and topic show (blocks/incident.ts renders it). */
export interface IncidentView {
  id: number;
  title: string;
  severity: string;
  status: string;
  category: string | null;
  service: string | null;
  summary: string | null;
  escalation: string;
  leadId: string | null;
  commsId: string | null;
  declaredBy: string;
  isPrivate: boolean;
  userFacing: boolean;
  detectedAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  /** The running clocks' deadlines for the header ("ack by 09:21 · mitigate by 09:31"); the edge fills them from the targets. */
  deadlines?: { clock: string; at: Date }[];
  /** The first open item of the current playbook step, with its owner (the edge fills it; none once resolved). */
  nextStep?: { number: string; text: string; ownerId: string | null } | null;
  /** The header's link buttons (dashboard, runbook, status page, review, web view), from src/incidents/incident-links.ts. */
  links?: { kind: string; title: string; url: string }[];
  /** Set when the incident is about a catalog model: the model, its serving alias, the version at declaration. */
  model?: { name: string; alias: string | null; version: string | null; evidence: Record<string, string | number> | null } | null;
}

/** One checklist line as blocks/incident.ts renders it: the one checklist item model. */
export type ChecklistItemView = ChecklistItem;

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
    model: i.modelName
      ? {
          name: i.modelName,
          alias: i.modelAlias,
          version: i.modelVersion,
          evidence: (i.modelEvidence as Record<string, string | number> | null) ?? null,
        }
      : null,
  };
}
