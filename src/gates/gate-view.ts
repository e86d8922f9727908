import type { ChecklistItem } from "../checklist/item.js";
import type { Prisma, PrismaClient } from "../db.js";
import { AppError } from "../errors.js";
import { gateRef } from "./gate-ref.js";
import { CriterionSchema, type Criterion } from "./template-schema.js";

type Reader = PrismaClient | Prisma.TransactionClient;

/** A gate item: the one checklist item model. */
export type GateItemView = ChecklistItem;

export interface GateView {
  id: number;
  templateId: string;
  title: string;
  subject: string;
  status: string; // open | approved
  channelId: string;
  messageTs: string | null;
  openedBy: string;
  overrideReason: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  createdAt: Date;
  items: GateItemView[];
}

type GateRow = Prisma.GateGetPayload<{ include: { items: true } }>;

/** A criterion stored as JSON is read back through its schema; anything else is treated as none. */
function readCriterion(json: unknown): Criterion | null {
  if (json === null || json === undefined) return null;
  const parsed = CriterionSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export function toGateView(row: GateRow): GateView {
  return {
    id: row.id,
    templateId: row.templateId,
    title: row.title,
    subject: row.subject,
    status: row.status,
    channelId: row.channelId,
    messageTs: row.messageTs,
    openedBy: row.openedBy,
    overrideReason: row.overrideReason,
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt,
    createdAt: row.createdAt,
    items: [...row.items]
      .sort((a, b) => a.position - b.position)
      .map((i) => ({
        number: i.number,
        // Gate sections have a title and a place: the number's first part is the section's key.
        sectionKey: i.number.split(".")[0]!,
        sectionTitle: i.sectionTitle,
        key: i.key,
        text: i.text,
        ownerId: i.ownerId,
        state: i.state,
        justification: i.justification,
        criterion: readCriterion(i.criterion),
        measuredValue: i.measuredValue,
        measuredText: i.measuredText,
        measuredPassing: i.measuredPassing,
        completedBy: i.completedBy,
        completedAt: i.completedAt,
      })),
  };
}

export async function loadGateView(db: Reader, gateId: number): Promise<GateView> {
  const row = await db.gate.findUnique({ where: { id: gateId }, include: { items: true } });
  if (!row) throw new AppError("not_found", `There is no gate ${gateRef(gateId)}. \`/gate list\` shows the open gates.`);
  return toGateView(row);
}
