import type { Prisma } from "../db.js";
import { gateRef } from "../gates/gate-ref.js";

type Reader = Pick<Prisma.TransactionClient, "gate">;

const word = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A gate subject names a model as a whole word: "lead-scoring v7" names lead-scoring, "lead-scoring-v2-api" does not. */
export function subjectNamesModel(subject: string, model: string): boolean {
  return new RegExp(`(^|[^\\w-])${word(model)}([^\\w-]|$)`, "i").test(subject);
}

/** The first of `versions` the subject names ("v7", "version 7", "7"), as a whole number: "v7" is not "v71" or "7.1". */
export function subjectVersion(subject: string, versions: readonly string[]): string | undefined {
  return versions.find((v) => new RegExp(`(^|[^\\w.])(v|version\\s*)?${word(v)}([^\\w.]|$)`, "i").test(subject));
}

/** Gates whose subject names one of the model's names and one of the versions, with the version it names. */
export async function findModelGates(
  db: Reader,
  names: readonly string[],
  versions: readonly string[],
): Promise<{ id: number; subject: string; version: string }[]> {
  const wanted = [...new Set(names.filter(Boolean))];
  if (!wanted.length || !versions.length) return [];
  const candidates = await db.gate.findMany({
    where: { OR: wanted.map((n) => ({ subject: { contains: n, mode: "insensitive" as const } })) },
    select: { id: true, subject: true },
    orderBy: { id: "asc" },
    take: 200,
  });
  const hits: { id: number; subject: string; version: string }[] = [];
  for (const g of candidates) {
    if (!wanted.some((n) => subjectNamesModel(g.subject, n))) continue;
    const version = subjectVersion(g.subject, versions);
    if (version) hits.push({ ...g, version });
  }
  return hits;
}

/** One gate a model version went through, as `/incident model` and the review show it. */
export interface ModelGateView {
  id: number;
  ref: string;
  templateId: string;
  title: string;
  subject: string;
  /** open | approved: only approved gates were passed */
  status: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  /** Items marked N/A, with the justification given and the item's owner (who re-checks it). */
  naItems: { number: string; text: string; justification: string; ownerId: string | null }[];
}

/** The gates whose subject names the model and this version (approved ones first, then by id). */
export async function loadModelGates(db: Reader, names: readonly string[], version: string | null): Promise<ModelGateView[]> {
  if (!version) return [];
  const hits = await findModelGates(db, names, [version]);
  if (!hits.length) return [];
  const rows = await db.gate.findMany({
    where: { id: { in: hits.map((g) => g.id) } },
    include: { items: { where: { state: "na" }, orderBy: { position: "asc" } } },
    orderBy: { id: "asc" },
  });
  return rows
    .map((g) => ({
      id: g.id,
      ref: gateRef(g.id),
      templateId: g.templateId,
      title: g.title,
      subject: g.subject,
      status: g.status,
      approvedBy: g.approvedBy,
      approvedAt: g.approvedAt,
      naItems: g.items.map((i) => ({ number: i.number, text: i.text, justification: i.justification ?? "", ownerId: i.ownerId })),
    }))
    .sort((a, b) => Number(b.status === "approved") - Number(a.status === "approved") || a.id - b.id);
}

/** The review's proposed action item for an N/A item of a passed gate: re-check it now that this version failed. */
export function recheckActionText(g: Pick<ModelGateView, "ref">, item: ModelGateView["naItems"][number]): string {
  return `Re-check gate ${g.ref} item ${item.number} (N/A: '${item.justification}')`;
}
