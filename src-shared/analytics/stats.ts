/**
 * The statistics behind experiment results, written out so that they can be checked: a
 * two-proportion z-test with confidence intervals, Bayesian chance to win and expected loss under
 * Beta(1, 1) priors (exact sums, Evan Miller's closed form), a chi-square sample-ratio-mismatch
 * check, and the sample size per arm for an effect.
 */

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** ln Γ(x), Lanczos (g = 7, n = 9). */
export function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

const logBeta = (a: number, b: number) => logGamma(a) + logGamma(b) - logGamma(a + b);

/** Regularized upper incomplete gamma Q(s, x) (series below s + 1, continued fraction above). */
export function gammaQ(s: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + s * Math.log(x) - logGamma(s);
  if (x < s + 1) {
    let term = 1 / s;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (s + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  // Lentz's continued fraction.
  let b = x + 1 - s;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - s);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(lead) * h;
}

export interface Arm {
  users: number;
  conversions: number;
}

export interface FrequentistResult {
  /** Conversion rates. */
  control: number;
  variant: number;
  /**
   * Absolute difference variant − control, and its confidence interval (null when both rates are
   * 0 or 1 and the Wald interval would have no width).
   */
  difference: number;
  differenceCi: [number, number] | null;
  /**
   * Relative lift (variant / control − 1), and its interval (delta method). Null when it is not
   * defined (no conversions in the control) or its interval cannot be estimated (none in the
   * variant either: the delta method would give a zero-width interval).
   */
  lift: number | null;
  liftCi: [number, number] | null;
  z: number;
  pValue: number;
  significant: boolean;
}

/** Two-sided two-proportion z-test (pooled for the test, unpooled for the intervals). */
export function twoProportionTest(control: Arm, variant: Arm, alpha = 0.05): FrequentistResult {
  const p1 = control.users ? control.conversions / control.users : 0;
  const p2 = variant.users ? variant.conversions / variant.users : 0;
  const pooled =
    control.users + variant.users
      ? (control.conversions + variant.conversions) / (control.users + variant.users)
      : 0;
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.users + 1 / variant.users));
  const z = sePooled > 0 ? (p2 - p1) / sePooled : 0;
  const pValue = sePooled > 0 ? 2 * (1 - normalCdf(Math.abs(z))) : 1;
  const crit = normalQuantile(1 - alpha / 2);
  const se = Math.sqrt((p1 * (1 - p1)) / control.users + (p2 * (1 - p2)) / variant.users) || 0;
  const difference = p2 - p1;
  const lift = p1 > 0 ? p2 / p1 - 1 : null;
  // Var(p2/p1) ≈ (p2/p1)² (Var p2 / p2² + Var p1 / p1²).
  const liftSe =
    lift !== null && p2 > 0
      ? (p2 / p1) * Math.sqrt((1 - p2) / (p2 * variant.users) + (1 - p1) / (p1 * control.users))
      : null;
  return {
    control: p1,
    variant: p2,
    difference,
    differenceCi: se > 0 ? [difference - crit * se, difference + crit * se] : null,
    lift,
    liftCi: lift !== null && liftSe !== null ? [lift - crit * liftSe, lift + crit * liftSe] : null,
    z,
    pValue,
    significant: pValue < alpha,
  };
}

/** P(p_a > p_b) for p_a ~ Beta(a1, b1), p_b ~ Beta(a2, b2), a1 an integer (Evan Miller). */
function probabilityGreater(a1: number, b1: number, a2: number, b2: number): number {
  let total = 0;
  for (let i = 0; i < a1; i++)
    total += Math.exp(
      logBeta(a2 + i, b1 + b2) - Math.log(b1 + i) - logBeta(1 + i, b1) - logBeta(a2, b2),
    );
  return Math.min(1, Math.max(0, total));
}

export interface BayesianResult {
  /** P(variant's rate > control's). */
  chanceToWin: number;
  /** Expected loss in conversion rate if the variant is shipped, and if the control is kept. */
  expectedLossVariant: number;
  expectedLossControl: number;
}

/** Beta-binomial with uniform Beta(1, 1) priors. */
export function bayesian(control: Arm, variant: Arm): BayesianResult {
  const aC = control.conversions + 1;
  const bC = control.users - control.conversions + 1;
  const aV = variant.conversions + 1;
  const bV = variant.users - variant.conversions + 1;
  const chanceToWin = probabilityGreater(aV, bV, aC, bC);
  // E[max(pC − pV, 0)] = E[pC]·P(p'C > pV) − E[pV]·P(pC > p'V), primes with α + 1.
  const meanC = aC / (aC + bC);
  const meanV = aV / (aV + bV);
  const lossVariant =
    meanC * probabilityGreater(aC + 1, bC, aV, bV) - meanV * probabilityGreater(aC, bC, aV + 1, bV);
  const lossControl =
    meanV * probabilityGreater(aV + 1, bV, aC, bC) - meanC * probabilityGreater(aV, bV, aC + 1, bC);
  return {
    chanceToWin,
    expectedLossVariant: Math.max(0, lossVariant),
    expectedLossControl: Math.max(0, lossControl),
  };
}

export interface SrmResult {
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** p below 0.001: the split is not what was configured; results cannot be trusted. */
  mismatch: boolean;
}

/**
 * Chi-square goodness of fit of the users per variant against the shares assignment gives each
 * (`expectedShares` of assignment.ts, which sum to 1). Users found in a variant expected to get
 * none (weight 0) cannot be there by chance: that is a mismatch, p = 0.
 */
export function sampleRatioMismatch(users: number[], shares: number[]): SrmResult {
  const total = users.reduce((s, x) => s + x, 0);
  const shareSum = shares.reduce((s, x) => s + x, 0);
  let chiSquare = 0;
  let impossible = false;
  users.forEach((observed, i) => {
    const expected = shareSum > 0 ? (total * (shares[i] ?? 0)) / shareSum : 0;
    if (expected > 0) chiSquare += (observed - expected) ** 2 / expected;
    else if (observed > 0) impossible = true;
  });
  const degreesOfFreedom = Math.max(1, users.filter((_, i) => (shares[i] ?? 0) > 0).length - 1);
  if (impossible) return { chiSquare: Infinity, degreesOfFreedom, pValue: 0, mismatch: true };
  const pValue = total > 0 ? gammaQ(degreesOfFreedom / 2, chiSquare / 2) : 1;
  return { chiSquare, degreesOfFreedom, pValue, mismatch: pValue < 0.001 };
}

/**
 * Users per arm to detect `baseline` → `target` with a two-sided test at `alpha` and `power`:
 * ((z₁₋α/₂ + z_power)² (p₁(1 − p₁) + p₂(1 − p₂))) / (p₂ − p₁)².
 */
export function sampleSizePerArm(
  baseline: number,
  target: number,
  alpha = 0.05,
  power = 0.8,
): number {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  const variance = baseline * (1 - baseline) + target * (1 - target);
  return Math.ceil((z * z * variance) / (target - baseline) ** 2);
}
