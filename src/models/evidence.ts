/** An alert's evidence about a model: metric, value, threshold, feature, baseline, window (whatever it carried). */
export type Evidence = Record<string, string | number>;

const ORDER = ["metric", "value", "threshold", "feature", "baseline", "window"];

/** The evidence's entries in a fixed order (the stored JSON does not keep key order), values as text. */
export function evidenceEntries(e: Evidence): [string, string][] {
  return Object.keys(e)
    .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99))
    .map((k) => [k, String(e[k])]);
}
