import type { AppContext } from "../context.js";
import type { Prisma } from "../db.js";
import { AppError } from "../errors.js";
import { gateUsageFor } from "./gate-usage.js";
import { queueGateRender, recordGateEvent } from "./change-gate.js";
import { gateRef } from "./gate-ref.js";
import { type GateView, loadGateView } from "./gate-view.js";
import { gateProgress, progressLine } from "./progress.js";
import { allTemplates, findTemplate } from "./template-registry.js";
import { numberItems } from "./template-schema.js";

export interface OpenGateInput {
  templateId: string;
  subject: string;
  channelId: string;
  openedBy: string;
  /** Justification for opening a stage before the one it requires has passed. */
  override?: string;
  /** Idempotency: the same request (a retried slash command) returns the first gate. */
  requestKey?: string;
}

export const OPEN_USAGE = gateUsageFor("open");

/**
 * Opens a gate from a template for a subject: items numbered `<section>.<n>`, one event, and the message
 * posted (durably, by the render job) in the channel where it was opened. A staged template opens only once
 * the stage it requires passed for the same subject, unless overridden with a justification.
 */
export async function openGate(ctx: AppContext, input: OpenGateInput): Promise<{ gate: GateView; created: boolean }> {
  const template = findTemplate(input.templateId);
  if (!template) {
    throw new AppError(
      "not_found",
      `Unknown template "${input.templateId}". Templates: ${allTemplates()
        .map((t) => t.id)
        .join(", ")} (\`/gate templates\`).`,
      OPEN_USAGE,
    );
  }
  const subject = input.subject.replace(/\s+/g, " ").trim();
  if (!subject) throw new AppError("usage", `Name what the ${template.id} gate is for, e.g. \`lead-scoring v2\`.`, OPEN_USAGE);
  if (subject.length > 150) throw new AppError("usage", "The subject is too long (150 characters at most).", OPEN_USAGE);
  const override = input.override?.trim();
  if (input.override !== undefined && (!override || override.length < 3)) {
    throw new AppError("usage", "`--override` needs a justification: why this stage may open out of order.", OPEN_USAGE);
  }

  if (input.requestKey) {
    const existing = await ctx.prisma.gate.findUnique({ where: { requestKey: input.requestKey }, select: { id: true } });
    if (existing) return { gate: await loadGateView(ctx.prisma, existing.id), created: false };
  }

  const now = ctx.clock.now();
  const id = await ctx.prisma.$transaction(
    async (tx) => {
      // Serialise opens for one subject so two people cannot open the same stage twice at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`gate-open:${subject.toLowerCase()}`}))`;
      const same = await tx.gate.findFirst({
        where: { templateId: template.id, subject: { equals: subject, mode: "insensitive" }, status: "open" },
        select: { id: true },
      });
      if (same) {
        throw new AppError(
          "conflict",
          `${gateRef(same.id)} is already open for ${template.id} "${subject}"; \`/gate status ${gateRef(same.id)}\`.`,
        );
      }
      const requires = template.stage?.requires;
      let overridden: { requires: string; reason: string } | undefined;
      if (requires) {
        const passed = await tx.gate.findFirst({
          where: { templateId: requires, subject: { equals: subject, mode: "insensitive" }, status: "approved" },
          select: { id: true },
        });
        if (!passed) {
          if (!override) throw new AppError("conflict", await stageRefusal(tx, template.id, requires, subject), OPEN_USAGE);
          overridden = { requires, reason: override };
        }
      }
      const gate = await tx.gate.create({
        data: {
          requestKey: input.requestKey ?? null,
          templateId: template.id,
          title: template.title,
          subject,
          channelId: input.channelId,
          openedBy: input.openedBy,
          overrideReason: overridden?.reason ?? null,
          createdAt: now,
          items: {
            create: numberItems(template).map((item, position) => ({
              number: item.number,
              sectionTitle: item.sectionTitle,
              position,
              key: item.key,
              text: item.text,
              detail: item.detail ?? undefined,
              criterion: (item.criterion ?? undefined) as Prisma.InputJsonValue | undefined,
            })),
          },
        },
      });
      await recordGateEvent(
        tx,
        gate.id,
        {
          kind: "gate.opened",
          data: {
            templateId: template.id,
            subject,
            channelId: input.channelId,
            ...(overridden ? { override: { by: input.openedBy, requires: overridden.requires, reason: overridden.reason } } : {}),
          },
        },
        { actorId: input.openedBy, at: now },
      );
      await queueGateRender(ctx, tx, gate.id);
      return gate.id;
    },
    { timeout: 15_000 },
  );
  return { gate: await loadGateView(ctx.prisma, id), created: true };
}

/** Why a stage may not open yet: the required stage is missing or still open (with its progress). */
async function stageRefusal(tx: Prisma.TransactionClient, templateId: string, requires: string, subject: string): Promise<string> {
  const open = await tx.gate.findFirst({
    where: { templateId: requires, subject: { equals: subject, mode: "insensitive" } },
    orderBy: { id: "desc" },
    include: { items: true },
  });
  const state = open
    ? `${gateRef(open.id)} (${requires}) is still open: ${progressLine(gateProgress(open.items))}`
    : `there is no ${requires} gate for "${subject}" yet`;
  return `${templateId} for "${subject}" cannot open until its ${requires} gate has passed (been approved); ${state}. To open it anyway, add \`--override <justification>\`.`;
}
