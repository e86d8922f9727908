import type { AppContext } from "../context.js";
import { incidentRef } from "../incidents/naming.js";

/** What the leadership summary says, as the incident stands: the same facts for Slack (blocks/) and email (src/mail). */
export interface LeadershipFacts {
  inc: {
    id: number;
    ref: string;
    title: string;
    severity: string;
    status: string;
    channelId: string | null;
    category: string | null;
    service: string | null;
    userFacing: boolean;
  };
  impact: string;
  rootCause: string | null;
  actionItems: { id: number; text: string; ownerId: string; dueDate: string | null; status: string }[];
  highlights: { label: string; at: Date | null }[];
  timezone: string;
}

/** Impact, root cause, action items and timeline highlights; null when the incident does not exist. */
export async function loadLeadershipFacts(ctx: AppContext, incidentId: number): Promise<LeadershipFacts | null> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc) return null;
  const actionItems = await ctx.prisma.actionItem.findMany({ where: { incidentId }, orderBy: { id: "asc" }, take: 20 });
  const impactParts = [
    inc.summary ?? inc.title,
    inc.service ? `Affected: ${inc.service}.` : null,
    inc.userFacing ? "End users are affected." : "No end-user impact recorded.",
  ];
  return {
    inc: {
      id: inc.id,
      ref: incidentRef(inc.id),
      title: inc.title,
      severity: inc.severity,
      status: inc.status,
      channelId: inc.channelId,
      category: inc.category,
      service: inc.service,
      userFacing: inc.userFacing,
    },
    impact: impactParts.filter(Boolean).join(" "),
    rootCause: inc.rootCause ?? (inc.status === "resolved" ? inc.resolutionSummary : null),
    actionItems: actionItems.map((a) => ({ id: a.id, text: a.text, ownerId: a.ownerId, dueDate: a.dueDate, status: a.status })),
    highlights: [
      { label: "Detected", at: inc.detectedAt },
      { label: "Declared", at: inc.declaredAt },
      { label: "Acknowledged", at: inc.acknowledgedAt },
      { label: "Root cause identified", at: inc.identifiedAt },
      { label: "Mitigated", at: inc.mitigatedAt },
      { label: "Resolved", at: inc.resolvedAt },
    ],
    timezone: ctx.config.timezone,
  };
}
