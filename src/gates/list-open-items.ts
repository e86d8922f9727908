import type { AppContext } from "../context.js";
import { gateRef } from "./gate-ref.js";
import { incidentRef } from "../incidents/naming.js";

export interface OpenItem {
  kind: "gate" | "incident";
  /** `G-12` or `INC-7`. */
  ref: string;
  title: string;
  number: string;
  text: string;
  channelId: string | null;
}

/**
 * One person's open items: gate items they own on open gates, and incident playbook items they own on
 * incidents that are not resolved. Used by App Home and by the owners' daily DM.
 */
export async function listOpenItems(ctx: AppContext, userId: string, opts: { includeIncidents?: boolean } = {}): Promise<OpenItem[]> {
  const gateItems = await ctx.prisma.gateItem.findMany({
    where: { ownerId: userId, state: "todo", gate: { status: "open" } },
    include: { gate: { select: { id: true, title: true, subject: true, channelId: true } } },
    orderBy: [{ gateId: "asc" }, { position: "asc" }],
    take: 200,
  });
  const out: OpenItem[] = gateItems.map((i) => ({
    kind: "gate",
    ref: gateRef(i.gate.id),
    title: `${i.gate.title} — ${i.gate.subject}`,
    number: i.number,
    text: i.text,
    channelId: i.gate.channelId,
  }));
  if (opts.includeIncidents === false) return out;
  const checklist = await ctx.prisma.checklistItem.findMany({
    where: { ownerId: userId, state: "todo", incident: { status: { not: "resolved" }, resolvedAt: null } },
    include: { incident: { select: { id: true, title: true, channelId: true } } },
    orderBy: [{ incidentId: "asc" }, { position: "asc" }],
    take: 200,
  });
  for (const i of checklist) {
    out.push({
      kind: "incident",
      ref: `${incidentRef(i.incident.id)}`,
      title: i.incident.title,
      number: i.number,
      text: i.text,
      channelId: i.incident.channelId,
    });
  }
  return out;
}
