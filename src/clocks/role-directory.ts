import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { CONTACT_ROLES, type ContactRole, contactRoleNames, isContactRole } from "../playbooks/escalation.js";

type Db = Prisma.TransactionClient | AppContext["prisma"];

export const ROLES_USAGE = `\`/incident roles\` shows the role directory; \`/incident roles <role> <@user>\` sets one. Roles: ${CONTACT_ROLES.join(", ")}.`;

/** The role directory (seed's key contacts) as role → user id, unset roles omitted. */
export async function listRoles(db: Db): Promise<Partial<Record<ContactRole, string>>> {
  const rows = await db.roleAssignment.findMany();
  const out: Partial<Record<ContactRole, string>> = {};
  for (const r of rows) if (isContactRole(r.role)) out[r.role] = r.userId;
  return out;
}

export async function roleUser(db: Db, role: ContactRole): Promise<string | null> {
  const row = await db.roleAssignment.findUnique({ where: { role } });
  return row?.userId ?? null;
}

export async function setRole(ctx: AppContext, role: string, userId: string, actorId: string): Promise<ContactRole> {
  const r = role.toLowerCase();
  if (!isContactRole(r)) throw new AppError("usage", `"${role}" is not a role.`, ROLES_USAGE);
  await ctx.prisma.roleAssignment.upsert({
    where: { role: r },
    create: { role: r, userId, updatedBy: actorId },
    update: { userId, updatedBy: actorId },
  });
  ctx.log.info({ role: r, userId, by: actorId }, "role directory changed");
  return r;
}

export function rolesText(roles: Partial<Record<ContactRole, string>>): string {
  return [
    "*Role directory*",
    ...CONTACT_ROLES.map((r) => `• ${contactRoleNames[r]} (\`${r}\`): ${roles[r] ? `<@${roles[r]}>` : "_not set_"}`),
    `Set one with \`/incident roles <role> <@user>\`.`,
  ].join("\n");
}

/** Who joins a P1 channel besides the declarer and responders: the ML lead and the MLOps engineer. */
export async function p1Invitees(ctx: AppContext, severity: string): Promise<string[]> {
  if (severity !== "P1") return [];
  const rows = await ctx.prisma.roleAssignment.findMany({ where: { role: { in: ["ml-lead", "mlops-engineer"] } } });
  return rows.map((r) => r.userId);
}
