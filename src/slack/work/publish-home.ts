import { homeView } from "../../../blocks/home.js";
import type { AppContext } from "../../context.js";
import { loadHome } from "../../gates/publish-home.js";

/** Job `homeRefresh`: publishes one person's App Home from what loadHome finds. */
export async function publishHome(ctx: AppContext, userId: string): Promise<void> {
  const { items, stats } = await loadHome(ctx, userId);
  await ctx.chat.publishHome(userId, homeView(userId, items, ctx.clock.now(), ctx.config.timezone, stats));
}
