import { AppError } from "../errors.js";

/** Gates are shown as `G-12`. */
export const gateRef = (id: number) => `G-${id}`;

/** `G-12`, `g-12` or `12` → 12; anything else is a usage error naming what was typed. */
export function parseGateRef(text: string | undefined, usage?: string): number {
  const m = /^(?:g-?)?(\d{1,9})$/i.exec((text ?? "").trim());
  if (!m) {
    throw new AppError(
      "usage",
      text?.trim() ? `"${text.trim()}" is not a gate id; gates look like G-12.` : "Name the gate, e.g. G-12.",
      usage,
    );
  }
  return Number(m[1]);
}
