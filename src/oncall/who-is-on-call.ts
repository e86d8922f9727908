import type { AppContext } from "../context.js";
import { fetchOnCalls, OnCallLookupError, type OnCallEntry } from "./pagerduty-rest.js";

export interface OnCallPerson extends OnCallEntry {
  /** The Slack user with that email; null when there is none (or no email). */
  slackId: string | null;
}

export type OnCallResult = { ok: true; people: OnCallPerson[] } | { ok: false; error: string };

// Slack ids by email, per running app (one workspace): users.lookupByEmail is asked once per email (a miss too).
const EMAIL_TTL_MS = 10 * 60_000;
const cacheOf = new WeakMap<AppContext, { bySlackEmail: Map<string, { id: string | null; at: number }>; missesLogged: Set<string> }>();

/** Who is on call now on PAGERDUTY_SCHEDULE_IDS, mapped to Slack users; off (empty) when not configured. */
export async function whoIsOnCall(ctx: AppContext): Promise<OnCallResult> {
  const cfg = ctx.config.oncall;
  if (!cfg) return { ok: true, people: [] };
  let entries: OnCallEntry[];
  try {
    entries = await fetchOnCalls(cfg);
  } catch (err) {
    if (err instanceof OnCallLookupError) return { ok: false, error: err.message };
    throw err;
  }
  const people: OnCallPerson[] = [];
  // Ten lookups at a time: a big rotation maps in a few round trips, within Slack's Tier 3 for users.lookupByEmail.
  for (let i = 0; i < entries.length; i += 10) {
    const batch = entries.slice(i, i + 10);
    const ids = await Promise.all(batch.map((e) => (e.email ? slackIdFor(ctx, e.email) : Promise.resolve(null))));
    batch.forEach((e, j) => people.push({ ...e, slackId: ids[j] ?? null }));
  }
  return { ok: true, people };
}

async function slackIdFor(ctx: AppContext, email: string): Promise<string | null> {
  const key = email.toLowerCase();
  let cache = cacheOf.get(ctx);
  if (!cache) cacheOf.set(ctx, (cache = { bySlackEmail: new Map(), missesLogged: new Set() }));
  const { bySlackEmail, missesLogged } = cache;
  const hit = bySlackEmail.get(key);
  if (hit && ctx.clock.now().getTime() - hit.at < EMAIL_TTL_MS) return hit.id;
  const id = await ctx.chat.lookupUserByEmail(email);
  bySlackEmail.set(key, { id, at: ctx.clock.now().getTime() });
  if (!id && !missesLogged.has(key)) {
    missesLogged.add(key); // said once per app, not on every incident
    ctx.log.warn({ email }, "an on-call person's PagerDuty email has no Slack account; they cannot be invited");
  }
  return id;
}
