import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import type { MailKind } from "./compose.js";

type Tx = Prisma.TransactionClient;

/**
 * Owes an email (when email is configured and the kind has recipients): the row and its send job are written
 * in the caller's transaction, so the email exists if and only if the change that makes it due commits.
 * Returns the recipients, or an empty list when email is off for this kind.
 */
export async function queueIncidentMail(
  ctx: AppContext,
  tx: Tx,
  mail: { incidentId: number; kind: MailKind; actorId: string | null; body?: string; nextUpdateAt?: Date },
): Promise<string[]> {
  const cfg = ctx.config.mail;
  const to = cfg ? (mail.kind === "leadership-summary" ? cfg.leadership : cfg.product) : [];
  if (to.length === 0) return [];
  const row = await tx.mailDelivery.create({
    data: {
      incidentId: mail.incidentId,
      kind: mail.kind,
      recipients: to,
      body: mail.body ?? null,
      nextUpdateAt: mail.nextUpdateAt ?? null,
      actorId: mail.actorId,
    },
  });
  await ctx.jobs.sendInTx(tx, "mailSend", { mailId: row.id });
  return to;
}
