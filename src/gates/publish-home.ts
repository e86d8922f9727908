import { homeView } from "../../blocks/home.js";
import type { AppContext } from "../context.js";
import { loadStats } from "../incidents/load-stats.js";
import { listOpenItems } from "./list-open-items.js";

/** Publishes one person's App Home: their open items across gates and incident playbooks, and the 30-day stats. */
export async function publishHome(ctx: AppContext, userId: string): Promise<void> {
  const items = await listOpenItems(ctx, userId);
  const stats = await loadStats(ctx, "30d");
  await ctx.chat.publishHome(userId, homeView(userId, items, ctx.clock.now(), stats));
}
