import { config as loadDotenv } from "dotenv";
import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { DbTargetError } from "./db/target.js";
import { SlackTokenRejected } from "./slack/slack-auth.js";

/** `npm start`: validate the environment (one clear line and exit 1 when wrong), then run the bot. */
async function main() {
  loadDotenv({ quiet: true }); // .env is optional; real environment variables win
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  // A stop asked for while starting (the HTTP port already answers) waits for the start to finish, then
  // stops gracefully like any other: signals are handled from the first moment.
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let stopAsked: string | undefined;
  const shutdown = async (signal: string) => {
    if (!stopAsked) {
      // Work in flight gets time to finish; past the deadline the process exits anyway (durable work resumes).
      setTimeout(() => {
        console.error("graceful stop took over 30 s: exiting");
        process.exit(0);
      }, 30_000).unref();
    }
    stopAsked ??= signal;
    if (!app) return; // still starting: stopped as soon as the start is done
    app.ctx.log.info({ signal }, "shutting down");
    await app.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  try {
    app = await startApp({ config });
  } catch (e) {
    if (e instanceof DbTargetError || e instanceof ConfigError || e instanceof SlackTokenRejected) {
      console.error(e.message);
      process.exit(1);
    }
    console.error(`Could not start: ${(e as Error).message}`);
    process.exit(1);
  }
  // Last resort: a promise nobody awaited (a library's fire-and-forget call while the database is down)
  // is logged, not a crash; the work it belonged to is durable and is retried.
  process.on("unhandledRejection", (err) => app?.ctx.log.error({ err }, "unhandled promise rejection"));
  if (stopAsked) await shutdown(stopAsked);
}

void main();
