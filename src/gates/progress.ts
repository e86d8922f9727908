/** The item fields the gate rules look at (a DB row or a view). */
export interface ProgressItem {
  number: string;
  ownerId: string | null;
  state: string; // todo | done | na
  justification: string | null;
  measuredPassing: boolean | null;
  measuredText?: string | null;
}

export interface GateProgress {
  total: number;
  done: number;
  na: number;
  /** Items neither done nor N/A with a justification. */
  notDone: string[];
  unowned: string[];
  /** Items whose recorded value fails their criterion (N/A items excluded: they do not apply). */
  failing: { number: string; text: string }[];
}

/** Counts the gate rules are about. Pure: used by the approve use case and by the message. */
export function gateProgress(items: readonly ProgressItem[]): GateProgress {
  const done = items.filter((i) => i.state === "done").length;
  const na = items.filter((i) => i.state === "na" && (i.justification ?? "").trim() !== "").length;
  return {
    total: items.length,
    done,
    na,
    notDone: items.filter((i) => !(i.state === "done" || (i.state === "na" && (i.justification ?? "").trim() !== ""))).map((i) => i.number),
    unowned: items.filter((i) => !i.ownerId).map((i) => i.number),
    failing: items
      .filter((i) => i.state !== "na" && i.measuredPassing === false)
      .map((i) => ({ number: i.number, text: i.measuredText ?? "failing" })),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `14/22 done, 3 N/A, 2 unowned` (+ failing measurements when there are any). */
export function progressLine(p: GateProgress): string {
  const parts = [`${p.done}/${p.total} done`, `${p.na} N/A`, `${p.unowned.length} unowned`];
  if (p.failing.length > 0) parts.push(`❌ ${plural(p.failing.length, "failing measurement")}`);
  return parts.join(", ");
}

/**
 * What stops a gate from passing, each part naming the items:
 * `3 items not done: 1.2, 2.4, 3.1; 1 item without an owner: 2.2`.
 */
export function blockingProblems(p: GateProgress): string[] {
  const out: string[] = [];
  if (p.notDone.length > 0) out.push(`${plural(p.notDone.length, "item")} not done: ${p.notDone.join(", ")}`);
  if (p.unowned.length > 0) out.push(`${plural(p.unowned.length, "item")} without an owner: ${p.unowned.join(", ")}`);
  if (p.failing.length > 0) {
    out.push(`${plural(p.failing.length, "failing measurement")}: ${p.failing.map((f) => `${f.number} (${f.text})`).join(", ")}`);
  }
  return out;
}
