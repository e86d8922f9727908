import type { AppContext } from "../context.js";
import { renderRunbookMessages } from "../playbooks/render-runbooks.js";
import { headerMessage, playbookMessage, topicFor } from "./render-messages.js";

/**
 * Brings the pinned header, the playbook message and the topic in line with the database. Always renders
 * the latest state, so concurrent changes (two people pressing Done) converge on one consistent message.
 */
export async function renderIncident(ctx: AppContext, incidentId: number): Promise<void> {
  const inc = await ctx.prisma.incident.findUnique({ where: { id: incidentId } });
  if (!inc?.channelId || !inc.provisionedAt) return; // provisioning renders at its end
  if (inc.headerTs) await ctx.chat.update(inc.channelId, inc.headerTs, headerMessage(ctx, inc));
  if (inc.playbookTs) await ctx.chat.update(inc.channelId, inc.playbookTs, await playbookMessage(ctx, inc));
  await renderRunbookMessages(ctx, inc); // runbook checklists: posted and pinned once, then updated in place
  const state = (inc.provisionState ?? {}) as { topic?: string };
  const topic = topicFor(inc);
  if (state.topic !== topic && !inc.archivedAt) {
    await ctx.chat.setTopic(inc.channelId, topic); // Tier 2: only when it really changed
    await ctx.prisma.incident.update({
      where: { id: incidentId },
      data: { provisionState: { ...(inc.provisionState as object), topic } },
    });
  }
}
