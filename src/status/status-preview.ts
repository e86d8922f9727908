import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { defaultPublicName, incidentComponents, incidentPublicStatus } from "./incident-impact.js";
import type { ComponentStatus, PublicIncidentStatus } from "./public-status.js";

/** What the page will show once this draft is published: the preview a person checks before clicking Publish. */
export interface StatusPreview {
  draftId: number;
  incidentId: number;
  name: string;
  /** No one has named the incident for the public yet: the name is a default they should confirm. */
  nameIsDefault: boolean;
  /** Nothing about this incident is public yet. */
  firstPublish: boolean;
  status: PublicIncidentStatus;
  components: { id: string; name: string; status: ComponentStatus }[];
  text: string;
  publishedAt: Date | null;
  /** The incident is marked user-facing (else the preview suggests `user-facing on`). */
  userFacing: boolean;
  /** Ids a person can use with `statuspage component` (for the usage line). */
  componentIds: string[];
}

export async function loadStatusPreview(ctx: AppContext, draftId: number): Promise<StatusPreview> {
  const draft = await ctx.prisma.statusDraft.findUnique({ where: { id: draftId }, include: { incident: true } });
  if (!draft)
    throw new AppError("not_found", "That status-page draft no longer exists; write it again with `/incident statuspage <text>`.");
  const settings = ctx.config.statusPage;
  const inc = draft.incident;
  const status = incidentPublicStatus(inc, draft.status);
  const impact = incidentComponents(settings, inc);
  const published = await ctx.prisma.timelineEvent.count({ where: { incidentId: inc.id, kind: "statuspage.updated" } });
  return {
    draftId: draft.id,
    incidentId: inc.id,
    name: inc.publicName ?? defaultPublicName(settings, inc),
    nameIsDefault: !inc.publicName,
    firstPublish: published === 0,
    status,
    components: settings.components
      .filter((c) => impact[c.id])
      .map((c) => ({ id: c.id, name: c.name, status: status === "resolved" ? "operational" : impact[c.id]! })),
    text: draft.text,
    publishedAt: draft.publishedAt,
    userFacing: inc.userFacing,
    componentIds: settings.components.map((c) => c.id),
  };
}
