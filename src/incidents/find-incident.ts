import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";

export const NOT_IN_INCIDENT =
  "This command works only inside an incident channel. Use `/incident list` to find one, or `/incident declare <title>` to start one.";

/** The incident whose channel this is; AppError(not_in_incident) otherwise. */
export async function findIncidentByChannel(ctx: AppContext, channelId: string) {
  const inc = await ctx.prisma.incident.findFirst({ where: { channelId } });
  if (!inc) throw new AppError("not_in_incident", NOT_IN_INCIDENT);
  return inc;
}
