import { config as loadDotenv } from "dotenv";
import { startApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { DbTargetError } from "./db/target.js";

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
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp({ config });
  } catch (e) {
    if (e instanceof DbTargetError || e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    console.error(`Could not start: ${(e as Error).message}`);
    process.exit(1);
  }
  const shutdown = async (signal: string) => {
    app.ctx.log.info({ signal }, "shutting down");
    // Work in flight gets time to finish; past the deadline the process exits anyway (durable work resumes).
    setTimeout(() => {
      app.ctx.log.warn("graceful stop took over 30 s: exiting");
      process.exit(0);
    }, 30_000).unref();
    await app.stop();
    process.exit(0);
  };
  // Last resort: a promise nobody awaited (a library's fire-and-forget call while the database is down)
  // is logged, not a crash; the work it belonged to is durable and is retried.
  process.on("unhandledRejection", (err) => app.ctx.log.error({ err }, "unhandled promise rejection"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

void main();
