import { createHash } from "node:crypto";
import type { ChatMessage } from "../chat/port.js";
import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { BOOKMARKED_KINDS, type IncidentLinkView, loadIncidentLinks } from "./incident-links.js";
import type { IncidentMessages } from "./render-messages.js";
import { loadIncidentItems } from "./incident-checklist.js";

interface RenderState {
  topic?: string;
  headerHash?: string;
  playbookHash?: string;
  /** The bookmarkable links last rendered: the bookmarks job is owed only when they change. */
  bookmarksKey?: string;
}

export const hashOf = (m: ChatMessage) =>
  createHash("sha1")
    .update(JSON.stringify([m.text, m.blocks]))
    .digest("hex");

/**
 * Brings the pinned header, the playbook message and the topic in line with the database. Always renders
 * the latest state, so concurrent changes (two people pressing Done) converge on one consistent message.
 * A message whose rendering did not change is not sent again (chat.update and setTopic are rate-limited).
 * The runbook checklists are rendered after it by the same job (src/slack/work/render-runbooks.ts); the
 * messages are worded by the edge (`messages`, src/slack/work/incident-messages.ts).
 * The bookmarks job is queued only when the links to bookmark differ from the last render's.
 */
export async function renderIncident(ctx: AppContext, incidentId: number, messages: IncidentMessages): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc?.channelId || !inc.provisionedAt) return; // provisioning renders at its end
  const state = { ...((inc.provisionState ?? {}) as RenderState) };
  const links = await loadIncidentLinks(ctx, incidentId);
  const bookmarksKey = bookmarkKey(links);
  const linksChanged = bookmarksKey !== (state.bookmarksKey ?? ""); // none yet: nothing to bookmark
  state.bookmarksKey = bookmarksKey;
  const items = inc.headerTs || inc.playbookTs ? await loadIncidentItems(ctx.prisma, incidentId, "playbook") : [];
  if (inc.headerTs) {
    const header = messages.header(inc, links, items);
    const hash = hashOf(header);
    if (hash !== state.headerHash) {
      await ctx.chat.update(inc.channelId, inc.headerTs, header);
      state.headerHash = hash;
    }
  }
  if (inc.playbookTs) {
    const playbook = messages.playbook(inc, items);
    const hash = hashOf(playbook);
    if (hash !== state.playbookHash) {
      await ctx.chat.update(inc.channelId, inc.playbookTs, playbook);
      state.playbookHash = hash;
    }
  }
  const topic = messages.topic(inc);
  if (state.topic !== topic && !inc.archivedAt) {
    await ctx.chat.setTopic(inc.channelId, topic);
    state.topic = topic;
  }
  // Nothing sent and no new links: the stored state already says all this (most renders of a busy incident).
  const before = (inc.provisionState ?? {}) as RenderState;
  if ((Object.keys(state) as (keyof RenderState)[]).every((k) => state[k] === before[k])) return;
  // Only this job writes these keys (one render per incident runs at a time: stately queue).
  // The bookmarks job is queued with the new key, so a crash between the two cannot lose it.
  await ctx.prisma.$transaction(async (tx) => {
    const latest = await tx.incident.findUnique({ where: { id: incidentId }, select: { provisionState: true } });
    await tx.incident.update({
      where: { id: incidentId },
      data: { provisionState: { ...((latest?.provisionState ?? {}) as object), ...state } as Prisma.InputJsonValue },
    });
    if (linksChanged) await ctx.jobs.sendInTx(tx, "bookmarks", { incidentId }, { singletonKey: `bookmarks-${incidentId}` });
  });
}

const bookmarkKey = (links: IncidentLinkView[]) =>
  links
    .filter((l) => BOOKMARKED_KINDS.includes(l.kind))
    .map((l) => `${l.kind} ${l.url}`)
    .join("\n");
