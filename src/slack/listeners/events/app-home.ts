import type { App } from "@slack/bolt";
import type { AppContext } from "../../../context.js";
import { describeError } from "../../reply-error.js";

/** App Home: opening the Home tab queues a refresh (stately per user), which publishes "my open items". */
export function register(app: App, ctx: AppContext) {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab && event.tab !== "home") return;
    await ctx.jobs
      .send("homeRefresh", { userId: event.user }, { singletonKey: `home-${event.user}` })
      // Logged with a reference id only: a DM about a Home tab that did not refresh would be noise.
      .catch((e) => describeError(ctx.log, e, "queueing the App Home refresh", { user: event.user }));
  });
}
