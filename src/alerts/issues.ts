import type { z } from "zod";

/** One validation problem, with a dotted path such as `alerts.0.labels` ("" = the whole body). */
export type Issue = { path: string; message: string };

/** A single alert of a batch that failed validation; the valid alerts beside it are kept. */
export type RejectedAlert = { index: number; issues: Issue[] };

type ZodIssueLike = { path: readonly PropertyKey[]; message: string };

/** Turns zod issues into `{ path, message }` with dotted paths, optionally under a prefix. */
export function toIssues(source: z.ZodError | readonly ZodIssueLike[], prefix: readonly PropertyKey[] = []): Issue[] {
  const list = Array.isArray(source) ? source : (source as z.ZodError).issues;
  return list.map((issue) => ({ path: dottedPath([...prefix, ...issue.path]), message: issue.message }));
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === "symbol" ? (part.description ?? "symbol") : String(part))).join(".");
}
