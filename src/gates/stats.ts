/**
 * The seed's A/B method for a binary outcome (conversion): a pooled two-proportion z test, a confidence
 * interval for the difference, a ship / kill / inconclusive decision, and the per-group sample size formula.
 * The normal distribution is computed here (no dependency); accuracy is well under 1e-6.
 */

/**
 * Complementary error function, Chebyshev fit (Numerical Recipes `erfcc`): fractional error below 1.2e-7
 * everywhere, so small tail probabilities stay accurate too.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution Φ(x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Acklam's rational approximation of the normal quantile (relative error below 1.15e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Inverse of Φ: the x with Φ(x) = p, for p in (0, 1). */
export function normalInverseCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normal quantile needs a probability strictly between 0 and 1, got ${p}`);
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalInverseCdf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

export type AbDecision = "SHIP" | "KILL" | "INCONCLUSIVE";

export interface AbTestOptions {
  /** Significance level; the confidence interval is at 1 − alpha. Default 0.05. */
  alpha?: number;
  /** Minimum relative lift required to ship, as a fraction (0.05 = +5 %). Unset: any significant gain ships. */
  minLift?: number;
}

export interface AbTestResult {
  controlRate: number;
  treatmentRate: number;
  /** Treatment rate minus control rate (fraction). */
  absoluteLift: number;
  /** Absolute lift over the control rate (fraction); null when the control rate is 0. */
  relativeLift: number | null;
  /** Standard error under H0 (pooled), used for z. */
  pooledStandardError: number;
  /** Unpooled standard error of the difference, used for the interval. */
  standardError: number;
  z: number;
  /** Two-sided. */
  pValue: number;
  alpha: number;
  confidenceLevel: number;
  confidenceInterval: { lower: number; upper: number };
  significant: boolean;
  decision: AbDecision;
  /** One line saying why. */
  reason: string;
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
}

function checkGroup(label: string, conversions: number, total: number): void {
  checkCount(`${label} conversions`, conversions);
  checkCount(`${label} total`, total);
  if (total === 0) throw new RangeError(`${label} total must be greater than 0`);
  if (conversions > total) {
    throw new RangeError(`${label} conversions (${conversions}) cannot exceed ${label} total (${total})`);
  }
}

function checkOpenUnit(name: string, value: number): void {
  if (!(value > 0 && value < 1)) throw new RangeError(`${name} must be strictly between 0 and 1, got ${value}`);
}

const pct = (fraction: number, digits = 1) => `${(fraction * 100).toFixed(digits)}%`;
const pts = (fraction: number) => `${(fraction * 100).toFixed(2)} pts`;
const fmtP = (p: number) => (p < 0.0001 ? "p < 0.0001" : `p = ${p.toFixed(4)}`);

/**
 * Decision rules:
 * - KILL: significant and negative (the treatment converts worse); or, with `minLift`, the whole interval lies
 *   below the required lift, so more data cannot make the test succeed.
 * - SHIP: significant and positive, and (with `minLift`) the observed relative lift reaches it.
 * - INCONCLUSIVE: everything else (not significant, or significant but short of `minLift`).
 */
export function abTest(
  controlConversions: number,
  controlTotal: number,
  treatmentConversions: number,
  treatmentTotal: number,
  options: AbTestOptions = {},
): AbTestResult {
  const { alpha = 0.05, minLift } = options;
  checkGroup("control", controlConversions, controlTotal);
  checkGroup("treatment", treatmentConversions, treatmentTotal);
  checkOpenUnit("alpha", alpha);
  if (minLift !== undefined && !Number.isFinite(minLift)) throw new RangeError(`minLift must be a number, got ${minLift}`);

  const controlRate = controlConversions / controlTotal;
  const treatmentRate = treatmentConversions / treatmentTotal;
  const absoluteLift = treatmentRate - controlRate;
  const relativeLift = controlRate > 0 ? absoluteLift / controlRate : null;

  const pooled = (controlConversions + treatmentConversions) / (controlTotal + treatmentTotal);
  const pooledStandardError = Math.sqrt(pooled * (1 - pooled) * (1 / controlTotal + 1 / treatmentTotal));
  // Every lead converted, or none did: no variance, so no evidence of a difference.
  const z = pooledStandardError > 0 ? absoluteLift / pooledStandardError : 0;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));

  const standardError = Math.sqrt(
    (controlRate * (1 - controlRate)) / controlTotal + (treatmentRate * (1 - treatmentRate)) / treatmentTotal,
  );
  const zCrit = normalInverseCdf(1 - alpha / 2);
  const confidenceInterval = {
    lower: absoluteLift - zCrit * standardError,
    upper: absoluteLift + zCrit * standardError,
  };
  const confidenceLevel = 1 - alpha;
  const significant = pValue < alpha;

  const lift = relativeLift === null ? pts(absoluteLift) : `${relativeLift >= 0 ? "+" : ""}${pct(relativeLift)}`;
  const requiredAbsolute = minLift !== undefined && controlRate > 0 ? minLift * controlRate : undefined;
  let decision: AbDecision;
  let reason: string;
  if (significant && absoluteLift < 0) {
    decision = "KILL";
    reason = `significant decline: treatment converts ${lift} relative to control (${fmtP(pValue)})`;
  } else if (requiredAbsolute !== undefined && confidenceInterval.upper < requiredAbsolute) {
    decision = "KILL";
    reason = `the ${pct(confidenceLevel, 0)} interval tops out at ${pts(confidenceInterval.upper)}, below the required +${pct(minLift!)} lift (${pts(requiredAbsolute)})`;
  } else if (significant && absoluteLift > 0) {
    if (minLift !== undefined && relativeLift !== null && relativeLift < minLift) {
      decision = "INCONCLUSIVE";
      reason = `significant gain (${fmtP(pValue)}) but the lift ${lift} is below the required +${pct(minLift)}`;
    } else {
      decision = "SHIP";
      reason = `significant gain: ${lift} conversion lift (${fmtP(pValue)} < ${alpha})`;
    }
  } else {
    decision = "INCONCLUSIVE";
    reason = `not significant (${fmtP(pValue)}, needs < ${alpha}): extend the test or grow the sample`;
  }

  return {
    controlRate,
    treatmentRate,
    absoluteLift,
    relativeLift,
    pooledStandardError,
    standardError,
    z,
    pValue,
    alpha,
    confidenceLevel,
    confidenceInterval,
    significant,
    decision,
    reason,
  };
}

/**
 * Leads needed in EACH group to detect a change from `baselineRate` to `expectedRate` with a two-sided test:
 * n = (z_{1−α/2} + z_{power})² · (p1(1−p1) + p2(1−p2)) / (p1 − p2)², rounded up.
 */
export function sampleSizePerGroup(baselineRate: number, expectedRate: number, confidence = 0.95, power = 0.8): number {
  checkOpenUnit("baseline rate", baselineRate);
  checkOpenUnit("expected rate", expectedRate);
  checkOpenUnit("confidence", confidence);
  checkOpenUnit("power", power);
  if (baselineRate === expectedRate) {
    throw new RangeError("expected rate must differ from the baseline rate: no sample can detect a zero change");
  }
  const zAlpha = normalInverseCdf(1 - (1 - confidence) / 2);
  const zBeta = normalInverseCdf(power);
  const variance = baselineRate * (1 - baselineRate) + expectedRate * (1 - expectedRate);
  return Math.ceil(((zAlpha + zBeta) ** 2 * variance) / (baselineRate - expectedRate) ** 2);
}
