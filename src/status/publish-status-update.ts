import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { meetClock } from "../clocks/meet-clock.js";
import { changeIncident } from "../incidents/change-incident.js";
import { checkStatusText } from "./draft-status-update.js";
import { refreshPublicPage } from "./page-cache.js";
import { defaultPublicName, incidentComponents, incidentPublicStatus } from "./incident-impact.js";
import { type ComponentStatus, type PublicIncidentStatus, publicIdOf } from "./public-status.js";

export interface PublishResult {
  /** The draft was published before (a second click, or two people at once): nothing changed. */
  alreadyPublished: boolean;
  incidentId: number;
  status: PublicIncidentStatus;
  url: string | null;
  wasUserFacing: boolean;
}

const NAME_MAX = 120;

/** The link to an incident's public page, when the page's public URL is known. */
export function publicIncidentUrl(ctx: AppContext, incidentId: number): string | null {
  const base = ctx.config.statusPage.publicUrl;
  return base ? `${base}/incidents/${publicIdOf(incidentId)}` : null;
}

/**
 * Publishes a previewed draft (once: the draft row is claimed in the transaction). The page shows it at once (it
 * reads published events), the status-page clock is met, the channel is told, and the Statuspage mirror is queued.
 * A resolved update sets the incident's components back to operational.
 */
export async function publishStatusUpdate(
  ctx: AppContext,
  draftId: number,
  actorId: string,
  edits: { text?: string; name?: string } = {},
): Promise<PublishResult> {
  const text = edits.text !== undefined ? checkStatusText(edits.text) : undefined;
  const name = edits.name?.trim();
  if (name !== undefined && (!name || name.length > NAME_MAX))
    throw new AppError("invalid", `Give the incident a public name of 1 to ${NAME_MAX} characters.`);
  const draft = await ctx.prisma.statusDraft.findUnique({ where: { id: draftId } });
  if (!draft)
    throw new AppError("not_found", "That status-page draft no longer exists; write it again with `/incident statuspage <text>`.");
  const settings = ctx.config.statusPage;
  const { result } = await changeIncident<PublishResult>(ctx, draft.incidentId, actorId, async (tx, inc, now) => {
    const status = incidentPublicStatus(inc, draft.status);
    const base = { incidentId: inc.id, status, url: publicIncidentUrl(ctx, inc.id), wasUserFacing: inc.userFacing };
    const body = text ?? draft.text;
    // Claimed here, under the incident's row lock: a double click or two people publish it once.
    const claimed = await tx.statusDraft.updateMany({
      where: { id: draftId, publishedAt: null },
      data: { publishedAt: now, publishedBy: actorId, text: body },
    });
    if (claimed.count === 0) return { result: { ...base, alreadyPublished: true } };
    const publicName = name ?? inc.publicName ?? defaultPublicName(settings, inc);
    let components: Record<string, ComponentStatus> = incidentComponents(settings, inc);
    if (status === "resolved") components = Object.fromEntries(Object.keys(components).map((id) => [id, "operational" as const]));
    await meetClock(tx, inc.id, "status_page", now, actorId);
    if (ctx.config.statuspage) {
      await ctx.jobs.sendInTx(tx, "statuspageSync", { incidentId: inc.id }, { singletonKey: `statuspage-${inc.id}` });
    }
    return {
      data: { statusPageText: body, publicName, publicComponents: components },
      events: [
        {
          event: { kind: "statuspage.updated", data: { text: body, status, name: publicName, components, draftId } },
          text: `Published to the status page (${status}): ${body}`,
        },
      ],
      notice: { kind: "status-page", incidentId: inc.id, actorId, text: body, url: base.url ?? undefined },
      result: { ...base, alreadyPublished: false },
    };
  });
  await refreshPublicPage(ctx); // committed: rebuilt before the publisher is answered, so they see it at once
  return result!;
}
