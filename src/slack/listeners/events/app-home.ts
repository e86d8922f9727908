import type { App } from "@slack/bolt";
import type { AppContext } from "../../../context.js";

/** App Home: opening the Home tab queues a refresh (stately per user), which publishes "my open items". */
export function register(app: App, ctx: AppContext) {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab && event.tab !== "home") return;
    await ctx.jobs
      .send("homeRefresh", { userId: event.user }, { singletonKey: `home-${event.user}` })
      .catch((err) => ctx.log.warn({ err }, "could not queue the App Home refresh"));
  });
}
