import type { Criterion, CriterionOp, CriterionUnit } from "./template-schema.js";

export type ParsedValue = { ok: true; value: number } | { ok: false; error: string };

type Conversion = { unit: CriterionUnit; factor: number };

// Spellings of one unit share one list of conversions.
const SECONDS: Conversion[] = [
  { unit: "s", factor: 1 },
  { unit: "ms", factor: 1000 },
];
const REQUESTS: Conversion[] = [{ unit: "req/s", factor: 1 }];
const GIGABYTES: Conversion[] = [
  { unit: "GB", factor: 1 },
  { unit: "MB", factor: 1024 },
];
// Memory sizes are binary here: 1536 MB is 1.5 GB.
const MEGABYTES: Conversion[] = [
  { unit: "MB", factor: 1 },
  { unit: "GB", factor: 1 / 1024 },
];
const DAYS: Conversion[] = [{ unit: "days", factor: 1 }];

/** Suffixes a person may type, mapped to the criterion unit and the factor that converts into it. */
const SUFFIXES: Record<string, readonly Conversion[]> = {
  ms: [{ unit: "ms", factor: 1 }],
  s: SECONDS,
  sec: SECONDS,
  "%": [
    { unit: "%", factor: 1 },
    { unit: "ratio", factor: 0.01 },
  ],
  "req/s": REQUESTS,
  rps: REQUESTS,
  qps: REQUESTS,
  gb: GIGABYTES,
  gib: GIGABYTES,
  mb: MEGABYTES,
  mib: MEGABYTES,
  d: DAYS,
  day: DAYS,
  days: DAYS,
  $: [{ unit: "$", factor: 1 }],
};

// Digits with optional thousands separators ("1,200") or plain ("1200.5"), optional sign.
const NUMBER = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?$/;

function expected(criterion: Criterion): string {
  const unit = criterion.unit;
  if (unit === "%") return "a percentage such as 0.08 or 0.08%";
  if (unit === "ratio") return "a fraction such as 0.82 (or 82%)";
  if (unit === "score" || unit === "count" || unit === undefined) return "a number such as 0.87 or 1,200";
  return `a number in ${unit}, such as 180 or 180${unit === "$" ? "" : unit}`;
}

/**
 * Reads a value typed for a criterion: `180`, `180ms`, `0.18 s`, `0.08%`, `1.5GB`, `1,200`, `1200 req/s`.
 * The result is in the criterion's own unit; a suffix that does not fit the unit is refused rather than guessed.
 */
export function parseMeasuredValue(input: string, criterion: Criterion): ParsedValue {
  const raw = input.trim();
  const fail = (why: string): ParsedValue => ({
    ok: false,
    error: `${why} — expected ${expected(criterion)} for ${criterion.label}`,
  });
  if (raw === "") return fail("no value given");

  let text = raw.replace(/\s+/g, "");
  let factor = 1;
  if (text.startsWith("$")) {
    if (criterion.unit !== "$") return fail(`"${raw}" is in $, which does not fit ${criterion.label}`);
    text = text.slice(1);
  }
  const suffix = /[a-z%$/]+$/i.exec(text)?.[0];
  if (suffix === text) return fail(`"${raw}" is not a number`);
  if (suffix) {
    const options = SUFFIXES[suffix.toLowerCase()];
    if (!options) return fail(`unknown unit "${suffix}" in "${raw}"`);
    const match = options.find((o) => o.unit === criterion.unit);
    if (!match) {
      const wanted = criterion.unit ? `it is measured in ${criterion.unit}` : "it takes a bare number";
      return fail(`"${raw}" is in ${suffix}, but ${wanted}`);
    }
    factor = match.factor;
    text = text.slice(0, -suffix.length);
  }

  const m = NUMBER.exec(text);
  if (!m || (m[2] === undefined && m[3] === undefined)) return fail(`"${raw}" is not a number`);
  const value = Number(`${m[1]}${(m[2] ?? "0").replaceAll(",", "")}${m[3] ?? ""}`) * factor;
  if (!Number.isFinite(value)) return fail(`"${raw}" is out of range`);
  if (value < 0 && criterion.unit !== "%" && criterion.unit !== "$") {
    return fail(`"${raw}" is negative, which ${criterion.unit ?? "this value"} cannot be`);
  }
  return { ok: true, value: tidy(value) };
}

/** Removes float noise from unit conversions (0.18 s → 180 ms, not 179.99999999999997). */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

const OP_SYMBOL: Record<CriterionOp, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥" };

export function opSymbol(op: CriterionOp): string {
  return OP_SYMBOL[op];
}

/** `180 ms`, `0.08%`, `1,200 req/s`, `0.87`. */
export function formatMeasured(value: number, unit?: CriterionUnit): string {
  const number = tidy(value).toLocaleString("en-US", { maximumFractionDigits: 6 });
  switch (unit) {
    case undefined:
    case "ratio":
    case "score":
    case "count":
      return number;
    case "%":
      return `${number}%`;
    case "$":
      return value < 0 ? `-$${number.slice(1)}` : `$${number}`;
    default:
      return `${number} ${unit}`;
  }
}

export function meetsCriterion(criterion: Criterion, value: number): boolean {
  switch (criterion.op) {
    case "<":
      return value < criterion.value;
    case "<=":
      return value <= criterion.value;
    case ">":
      return value > criterion.value;
    case ">=":
      return value >= criterion.value;
  }
}

/** `p99 180 ms meets < 200 ms` / `p99 250 ms fails < 200 ms`. */
export function evaluateCriterion(criterion: Criterion, value: number): { passing: boolean; text: string } {
  if (!Number.isFinite(value)) throw new RangeError(`cannot evaluate ${criterion.label}: value ${value} is not finite`);
  const passing = meetsCriterion(criterion, value);
  const name = criterion.name ?? criterion.metric.replaceAll("_", " ");
  const threshold = formatMeasured(criterion.value, criterion.unit);
  return {
    passing,
    text: `${name} ${formatMeasured(value, criterion.unit)} ${passing ? "meets" : "fails"} ${opSymbol(criterion.op)} ${threshold}`,
  };
}
