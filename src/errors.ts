import { randomBytes } from "node:crypto";

/**
 * The one error type the domain throws for anything a user can fix. Codes:
 * - usage: wrong or missing arguments (reply shows the usage)
 * - not_found: the incident / gate / item does not exist
 * - not_in_incident: a command that only works in an incident channel
 * - forbidden: not allowed for this user (e.g. approving a gate you own items of)
 * - conflict: the state does not allow it (e.g. approve before every item is done)
 * - invalid: a value that fails validation
 */
export type AppErrorCode = "usage" | "not_found" | "not_in_incident" | "forbidden" | "conflict" | "invalid";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Short reference id for an unexpected error: shown to the user, logged with the full error. */
export function errorRef(): string {
  return `ERR-${randomBytes(3).toString("hex").toUpperCase()}`;
}

/** The text a user sees for any error: the message (+ usage) for AppError, a reference id otherwise. */
export function userMessageFor(e: unknown, ref: string): string {
  if (isAppError(e)) return e.usage ? `${e.message}\n${e.usage}` : e.message;
  return `Something went wrong on our side (reference ${ref}). Nothing you typed was lost; please try again.`;
}
