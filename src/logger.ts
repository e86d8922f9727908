import { pino, type Logger } from "pino";

export type { Logger };

/** Structured JSON logs on stdout (pino). Tests and the demo pass level "silent" or "warn". */
export function createLogger(level = "info"): Logger {
  return pino({ level, base: { app: "incident-gate-bot" }, timestamp: pino.stdTimeFunctions.isoTime });
}
