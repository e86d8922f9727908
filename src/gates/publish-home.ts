import type { AppContext } from "../context.js";
import { loadStats } from "../incidents/load-stats.js";
import { listOpenItems } from "./list-open-items.js";

/** What one person's App Home shows: their open items across gates and incident playbooks, and the 30-day stats. */
export async function loadHome(ctx: AppContext, userId: string) {
  const items = await listOpenItems(ctx, userId);
  const stats = await loadStats(ctx, "30d");
  return { items, stats };
}
