import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { recordEvent } from "../timeline/record-event.js";
import { publicIdOf } from "./public-status.js";
import { type IncidentBody, statuspage, StatuspagePermanentError } from "./statuspage-client.js";

interface Published {
  text?: string;
  status?: string;
  name?: string;
  components?: Record<string, string>;
}

/**
 * Job `statuspageSync`: sends the incident's latest published state to Atlassian Statuspage. Idempotent: it
 * compares with the last event sent, looks up before it creates, and stores the remote id before anything else,
 * so a retry, a restart or a burst (coalesced by the stately queue) never makes a second incident there.
 */
export async function syncStatuspage(ctx: AppContext, incidentId: number): Promise<void> {
  const cfg = ctx.config.statuspage;
  if (!cfg) return;
  const latest = await ctx.prisma.timelineEvent.findFirst({
    where: { incidentId, kind: "statuspage.updated" },
    orderBy: [{ at: "desc" }, { id: "desc" }],
  });
  if (!latest) return;
  const data = (latest.data ?? {}) as Published;
  if (typeof data.text !== "string") return;
  const mirror =
    (await ctx.prisma.statuspageMirror.findUnique({ where: { incidentId } })) ??
    (await ctx.prisma.statuspageMirror.upsert({ where: { incidentId }, create: { incidentId }, update: {} }));
  if (mirror.sentEventId === latest.id) return; // the latest state is there already

  const remoteComponents: Record<string, string> = {};
  for (const [id, status] of Object.entries(data.components ?? {})) {
    const remote = ctx.config.statusPage.components.find((c) => c.id === id)?.statuspageId;
    if (remote) remoteComponents[remote] = status;
  }
  const publicId = publicIdOf(incidentId);
  const body: IncidentBody = {
    name: data.name ?? "Service disruption",
    status: data.status ?? "investigating",
    body: data.text,
    component_ids: Object.keys(remoteComponents),
    components: remoteComponents,
    metadata: { incident_bot: { public_id: publicId } },
    deliver_notifications: true,
  };
  try {
    let remoteId = mirror.remoteId;
    if (!remoteId) {
      const found = await statuspage.findIncident(cfg, body.name, publicId);
      const remote = found ? await statuspage.updateIncident(cfg, found.id, body) : await statuspage.createIncident(cfg, body);
      remoteId = remote.id;
      await ctx.prisma.$transaction(async (tx) => {
        await tx.statuspageMirror.update({ where: { incidentId }, data: { remoteId: remote.id, shortlink: remote.shortlink ?? null } });
        await recordEvent(
          tx,
          incidentId,
          { kind: "statuspage.mirrored", data: { remoteId: remote.id, shortlink: remote.shortlink ?? null } },
          {
            at: ctx.clock.now(),
            actorId: null,
            text: `Mirrored to Atlassian Statuspage${remote.shortlink ? `: ${remote.shortlink}` : ""}`,
          },
        );
      });
    } else {
      await statuspage.updateIncident(cfg, remoteId, body);
    }
    // Component statuses also set directly, so the page's components follow even where the incident's map is ignored.
    const sent = (mirror.components ?? {}) as Record<string, string>;
    for (const [id, status] of Object.entries(remoteComponents)) {
      if (sent[id] === status) continue;
      await statuspage.updateComponent(cfg, id, status);
      sent[id] = status;
      await ctx.prisma.statuspageMirror.update({ where: { incidentId }, data: { components: sent } });
    }
    await ctx.prisma.statuspageMirror.update({
      where: { incidentId },
      data: { sentEventId: latest.id, failure: null, failureNotedAt: null, components: sent },
    });
  } catch (e) {
    await noteFailure(ctx, incidentId, (e as Error).message);
    // A permanent answer (bad key, unknown page, rejected body) will not change by retrying: told once, then stop.
    if (e instanceof StatuspagePermanentError) return;
    throw e;
  }
}

/** Tells the incident channel once per failure spell (cleared by the next success). */
async function noteFailure(ctx: AppContext, incidentId: number, error: string): Promise<void> {
  await ctx.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    const first = await tx.statuspageMirror.updateMany({
      where: { incidentId, failureNotedAt: null },
      data: { failure: error, failureNotedAt: ctx.clock.now() },
    });
    if (first.count === 0) return;
    await recordEvent(
      tx,
      incidentId,
      { kind: "statuspage.mirror_failed", data: { error } },
      { at: ctx.clock.now(), actorId: null, text: `Statuspage mirror failed: ${error}` },
    );
    await ctx.jobs.sendInTx(tx, "incidentNotice", { kind: "statuspage-failed", incidentId, error });
  });
}
