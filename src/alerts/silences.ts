import type { AppContext } from "../context.js";
import { directQuery } from "../db/direct-sql.js";
import { AppError } from "../errors.js";
import type { MatchableAlert } from "./label-view.js";
import { type Matcher, matchesSilence, parseDuration, parseMatchers, SilenceParseError } from "./silence-match.js";

export const silenceRef = (id: number) => `S-${id}`;

/** `S-12` or `12` → 12. */
export function parseSilenceRef(text: string): number | null {
  const m = /^(?:s-)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}

const USAGE = "Usage: `/incident silence <label=value,…> <duration like 2h> <reason>`";

/** Creates a silence from `/incident silence` arguments; every bad part is a usage error. */
export async function createSilence(ctx: AppContext, userId: string, args: string) {
  const [matcherText, durationText, ...reasonWords] = args.trim().split(/\s+/);
  const reason = reasonWords.join(" ").trim();
  if (!matcherText || !durationText || !reason) {
    throw new AppError("usage", "Give the label matchers, a duration and a reason.", USAGE);
  }
  let matchers: Matcher[];
  let ms: number;
  try {
    matchers = parseMatchers(matcherText);
    ms = parseDuration(durationText);
  } catch (e) {
    if (e instanceof SilenceParseError) throw new AppError("usage", e.message, USAGE);
    throw e;
  }
  const now = ctx.clock.now();
  return ctx.prisma.silence.create({
    data: {
      matchers,
      matcherText,
      reason: reason.slice(0, 500),
      createdBy: userId,
      startsAt: now,
      endsAt: new Date(now.getTime() + ms),
    },
  });
}

export async function listActiveSilences(ctx: AppContext) {
  const now = ctx.clock.now();
  return ctx.prisma.silence.findMany({
    where: { liftedAt: null, startsAt: { lte: now }, endsAt: { gt: now } },
    orderBy: { id: "asc" },
    take: 100,
  });
}

export async function liftSilence(ctx: AppContext, userId: string, id: number) {
  const now = ctx.clock.now();
  const { count } = await ctx.prisma.silence.updateMany({
    where: { id, liftedAt: null, endsAt: { gt: now } },
    data: { liftedAt: now, liftedBy: userId },
  });
  if (count === 0) throw new AppError("not_found", `${silenceRef(id)} is not an active silence. See \`/incident silences\`.`);
}

/** The first active silence that matches the alert, counting the hit; null when none does. */
export async function silenceFor(ctx: AppContext, alert: MatchableAlert): Promise<number | null> {
  // Asked for every first sighting of an alert, so it skips Prisma's per-query work (see direct-sql.ts).
  const active = await directQuery<{ id: number; matchers: unknown }>(ctx.prisma, ACTIVE_SILENCES, [ctx.clock.now().toISOString()]);
  for (const s of active) {
    const matchers = (typeof s.matchers === "string" ? JSON.parse(s.matchers) : s.matchers) as Matcher[];
    if (matchesSilence(alert, matchers)) {
      await ctx.prisma.silence.update({ where: { id: Number(s.id) }, data: { hits: { increment: 1 } } });
      return Number(s.id);
    }
  }
  return null;
}

// The same silences as listActiveSilences, in the same order.
const ACTIVE_SILENCES = `SELECT "id", "matchers" FROM "Silence"
  WHERE "liftedAt" IS NULL AND "startsAt" <= $1::timestamp(3) AND "endsAt" > $1::timestamp(3) ORDER BY "id" LIMIT 100`;
