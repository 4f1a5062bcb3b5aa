/**
 * Experiment assignment by deterministic hashing, compatible with GrowthBook's published scheme
 * (its SDK spec: FNV-1a 32-bit; hash version 1 and 2; bucket ranges from weights and coverage), so
 * that a user's variant is the same on every device and in every session, and an experiment can
 * be checked against GrowthBook's own test vectors.
 */

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (as GrowthBook's JavaScript SDK). */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A number in [0, 1) for `value` under `seed`; null for an unknown hash version. */
export function hashToUnit(seed: string, value: string, version: 1 | 2 | number): number | null {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  if (version === 1) return (fnv1a32(value + seed) % 1000) / 1000;
  return null;
}

export type BucketRange = [number, number];

/**
 * One range per variation: each starts where an equal split would put it and is `coverage` of
 * its weight long. Weights that do not sum to 1 (±0.01) or do not match the variations fall back
 * to equal weights; coverage is clamped to [0, 1].
 */
export function bucketRanges(
  variations: number,
  coverage = 1,
  weights?: number[] | null,
): BucketRange[] {
  const cover = Math.min(1, Math.max(0, coverage));
  const equal = () => new Array<number>(variations).fill(1 / variations);
  let w = weights ?? equal();
  if (w.length !== variations) w = equal();
  const total = w.reduce((sum, x) => sum + x, 0);
  if (total < 0.99 || total > 1.01) w = equal();
  let start = 0;
  return w.map((weight) => {
    const range: BucketRange = [start, start + cover * weight];
    start += weight;
    return range;
  });
}

/**
 * The share of the users in an experiment that each variation should get, as assignment really
 * splits them: the length of each bucket range within [0, 1), over the total. Weights that sum to
 * a little over 1 (the schema allows ±0.01) give the last range less than its weight, and this is
 * what a sample-ratio check must expect, not weight ÷ sum.
 */
export function expectedShares(
  variations: number,
  coverage = 1,
  weights?: number[] | null,
): number[] {
  const lengths = bucketRanges(variations, coverage, weights).map(([start, end]) =>
    Math.max(0, Math.min(1, end) - Math.min(1, start)),
  );
  const total = lengths.reduce((sum, x) => sum + x, 0);
  return lengths.map((length) => (total > 0 ? length / total : 0));
}

/** The variation whose range holds `n`, or -1 (outside coverage). */
export function chooseVariation(n: number, ranges: BucketRange[]): number {
  return ranges.findIndex(([start, end]) => n >= start && n < end);
}

export interface ExperimentDefinition {
  key: string;
  variants: Array<{ key: string; weight: number }>;
  /** Share of eligible users in the experiment, 0..1. */
  coverage: number;
  /** Attribute → allowed values; a user lacking one is not targeted. */
  targeting: Partial<Record<string, string[]>>;
  /** Defaults to the key (GrowthBook's default seed). */
  seed?: string;
  /** GrowthBook's hash version; an experiment that does not say uses 1, as GrowthBook does. */
  hashVersion?: 1 | 2;
  status: 'draft' | 'running' | 'stopped' | 'shipped';
  /** The variant everyone gets once shipped. */
  shipped?: string | null;
}

export type Assignment =
  | { inExperiment: true; variant: string; index: number; bucket: number }
  | { inExperiment: false; variant: string | null; reason: string };

/** Which variant `attributes` (with `id`, the hash attribute) sees; pure and stable. */
export function assign(
  experiment: ExperimentDefinition,
  attributes: Record<string, string>,
): Assignment {
  if (experiment.status === 'shipped' && experiment.shipped)
    return { inExperiment: false, variant: experiment.shipped, reason: 'shipped' };
  if (experiment.status !== 'running')
    return { inExperiment: false, variant: null, reason: experiment.status };
  for (const [attribute, allowed] of Object.entries(experiment.targeting)) {
    if (allowed && allowed.length > 0 && !allowed.includes(attributes[attribute] ?? ''))
      return { inExperiment: false, variant: null, reason: `not targeted (${attribute})` };
  }
  const id = attributes.id;
  if (!id) return { inExperiment: false, variant: null, reason: 'no id' };
  const bucket = hashToUnit(experiment.seed ?? experiment.key, id, experiment.hashVersion ?? 1)!;
  const ranges = bucketRanges(
    experiment.variants.length,
    experiment.coverage,
    experiment.variants.map((v) => v.weight),
  );
  const index = chooseVariation(bucket, ranges);
  if (index < 0) return { inExperiment: false, variant: null, reason: 'outside coverage' };
  return { inExperiment: true, variant: experiment.variants[index]!.key, index, bucket };
}
