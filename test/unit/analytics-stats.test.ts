/**
 * Experiment assignment against GrowthBook's published test vectors (packages/sdk-js/test/
 * cases.json in github.com/growthbook/growthbook: "hash", "getBucketRange", and the buckets in
 * its "feature" cases), and the statistics by simulation and known values.
 */
import {
  assign,
  bucketRanges,
  chooseVariation,
  expectedShares,
  hashToUnit,
  type ExperimentDefinition,
} from '../../src-shared/analytics/assignment';
import {
  bayesian,
  gammaQ,
  normalCdf,
  normalQuantile,
  sampleRatioMismatch,
  sampleSizePerArm,
  twoProportionTest,
} from '../../src-shared/analytics/stats';
import { seeded } from '../support/seeded';

const binomial = (random: () => number, n: number, p: number) => {
  let k = 0;
  for (let i = 0; i < n; i++) if (random() < p) k++;
  return k;
};

describe('assignment (GrowthBook-compatible)', () => {
  it('hashes like the published vectors, versions 1 and 2', () => {
    const vectors: Array<[string, string, number, number | null]> = [
      ['', 'a', 1, 0.22],
      ['', 'b', 1, 0.077],
      ['b', 'a', 1, 0.946],
      ['ef', 'd', 1, 0.652],
      ['asdf', '8952klfjas09ujk', 1, 0.549],
      ['', '123', 1, 0.011],
      ['', '___)((*":&', 1, 0.563],
      ['seed', 'a', 2, 0.0505],
      ['seed', 'b', 2, 0.2696],
      ['foo', 'ab', 2, 0.2575],
      ['foo', 'def', 2, 0.2019],
      ['89123klj', '8952klfjas09ujkasdf', 2, 0.124],
      ['90850943850283058242805', '123', 2, 0.7516],
      ['()**(%$##$%#$#', '___)((*":&', 2, 0.0128],
      ['abc', 'def', 99, null],
    ];
    for (const [seed, value, version, expected] of vectors)
      expect([seed, value, hashToUnit(seed, value, version)]).toEqual([seed, value, expected]);
  });

  it('builds bucket ranges like the published vectors', () => {
    const vectors: Array<[number, number, number[] | null, Array<[number, number]>]> = [
      [
        2,
        1,
        null,
        [
          [0, 0.5],
          [0.5, 1],
        ],
      ],
      [
        2,
        0.5,
        null,
        [
          [0, 0.25],
          [0.5, 0.75],
        ],
      ],
      [
        2,
        0,
        null,
        [
          [0, 0],
          [0.5, 0.5],
        ],
      ],
      [
        4,
        1,
        null,
        [
          [0, 0.25],
          [0.25, 0.5],
          [0.5, 0.75],
          [0.75, 1],
        ],
      ],
      [
        2,
        1,
        [0.4, 0.6],
        [
          [0, 0.4],
          [0.4, 1],
        ],
      ],
      [
        3,
        1,
        [0.2, 0.3, 0.5],
        [
          [0, 0.2],
          [0.2, 0.5],
          [0.5, 1],
        ],
      ],
      [
        3,
        0.2,
        [0.2, 0.3, 0.5],
        [
          [0, 0.04],
          [0.2, 0.26],
          [0.5, 0.6],
        ],
      ],
      [
        2,
        -0.2,
        null,
        [
          [0, 0],
          [0.5, 0.5],
        ],
      ],
      [
        2,
        1.5,
        null,
        [
          [0, 0.5],
          [0.5, 1],
        ],
      ],
      [
        2,
        1,
        [0.4, 0.1],
        [
          [0, 0.5],
          [0.5, 1],
        ],
      ],
      [
        2,
        1,
        [0.7, 0.6],
        [
          [0, 0.5],
          [0.5, 1],
        ],
      ],
      [
        4,
        1,
        [0.4, 0.4, 0.2],
        [
          [0, 0.25],
          [0.25, 0.5],
          [0.5, 0.75],
          [0.75, 1],
        ],
      ],
      [
        2,
        1,
        [0.4, 0.5999],
        [
          [0, 0.4],
          [0.4, 0.9999],
        ],
      ],
    ];
    for (const [n, coverage, weights, expected] of vectors) {
      const ranges = bucketRanges(n, coverage, weights);
      expect(ranges).toHaveLength(expected.length);
      ranges.forEach(([start, end], i) => {
        expect(start).toBeCloseTo(expected[i]![0], 10);
        expect(end).toBeCloseTo(expected[i]![1], 10);
      });
    }
  });

  it('puts users where GrowthBook does', () => {
    // "empty experiment rule" cases: seed = feature key, hash version 1, three equal variations.
    const three = bucketRanges(3);
    expect(chooseVariation(hashToUnit('feature', '123', 1)!, three)).toBe(2); // bucket 0.863
    expect(chooseVariation(hashToUnit('feature', '456', 1)!, three)).toBe(0); // 0.178
    expect(chooseVariation(hashToUnit('feature', 'fds', 1)!, three)).toBe(1); // 0.514
    // "creates experiments properly": hash version 2 → bucket 0.5231.
    expect(hashToUnit('feature', '123', 2)).toBe(0.5231);
    expect(
      chooseVariation(0.5, [
        [0, 0.5],
        [0.5, 1],
      ]),
    ).toBe(1);
    expect(
      chooseVariation(0.3, [
        [0, 0.25],
        [0.5, 0.75],
      ]),
    ).toBe(-1);
  });

  it('assigns stably, by weight, only to targeted users, and honours status', () => {
    const experiment: ExperimentDefinition = {
      key: 'composer-hint',
      variants: [
        { key: 'control', weight: 0.3 },
        { key: 'hint', weight: 0.7 },
      ],
      coverage: 1,
      targeting: { platform: ['linux', 'win32'] },
      status: 'running',
    };
    const counts = { control: 0, hint: 0 };
    for (let i = 0; i < 20_000; i++) {
      const a = assign(experiment, { id: `user-${i}`, platform: 'linux' });
      if (!a.inExperiment) throw new Error(a.reason);
      counts[a.variant as 'control' | 'hint']++;
      expect(assign(experiment, { id: `user-${i}`, platform: 'win32' })).toEqual(a);
    }
    expect(counts.control / 20_000).toBeCloseTo(0.3, 1.5);
    expect(assign(experiment, { id: 'x', platform: 'darwin' })).toMatchObject({
      inExperiment: false,
      variant: null,
    });
    expect(
      assign({ ...experiment, status: 'stopped' }, { id: 'x', platform: 'linux' }),
    ).toMatchObject({ inExperiment: false, variant: null });
    expect(
      assign({ ...experiment, status: 'shipped', shipped: 'hint' }, { id: 'x', platform: 'mac' }),
    ).toMatchObject({ inExperiment: false, variant: 'hint' });
  });

  it("hashes with the experiment's own version, 1 when it does not say (as GrowthBook)", () => {
    const base: ExperimentDefinition = {
      key: 'hash-version',
      variants: [
        { key: 'a', weight: 0.5 },
        { key: 'b', weight: 0.5 },
      ],
      coverage: 1,
      targeting: {},
      status: 'running',
    };
    let differ = 0;
    for (let i = 0; i < 200; i++) {
      const id = `user-${i}`;
      const v1 = assign(base, { id });
      const v2 = assign({ ...base, hashVersion: 2 }, { id });
      expect(v1).toMatchObject({ bucket: hashToUnit('hash-version', id, 1) });
      expect(v2).toMatchObject({ bucket: hashToUnit('hash-version', id, 2) });
      expect(assign({ ...base, hashVersion: 1 }, { id })).toEqual(v1);
      if (v1.variant !== v2.variant) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });
});

describe('experiment statistics', () => {
  it('has the distributions right', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(gammaQ(0.5, 3.841459 / 2)).toBeCloseTo(0.05, 5); // chi-square, 1 dof
    expect(gammaQ(1.5, 7.814728 / 2)).toBeCloseTo(0.05, 5); // chi-square, 3 dof
  });

  it('sizes samples: 31,231 per arm for 5.0% → 5.5% at alpha 0.05 and power 0.8', () => {
    expect(sampleSizePerArm(0.05, 0.055, 0.05, 0.8)).toBe(31_231);
  });

  it('raises the sample-ratio alarm for 46/54 at n = 10,000, not for 50.5/49.5', () => {
    const bad = sampleRatioMismatch([4600, 5400], [0.5, 0.5]);
    expect(bad.chiSquare).toBeCloseTo(64, 6);
    expect(bad.mismatch).toBe(true);
    const fine = sampleRatioMismatch([5050, 4950], [0.5, 0.5]);
    expect(fine.pValue).toBeCloseTo(0.3173, 3);
    expect(fine.mismatch).toBe(false);
    expect(sampleRatioMismatch([3000, 7000], [0.3, 0.7]).mismatch).toBe(false);
  });

  it('expects the shares assignment really gives, so weights summing near 1 raise no alarm', () => {
    const experiment = (weights: number[]): ExperimentDefinition => ({
      key: 'srm-weights',
      variants: weights.map((weight, i) => ({ key: `v${i}`, weight })),
      coverage: 1,
      targeting: {},
      status: 'running',
    });
    for (const weights of [
      [0.335, 0.335, 0.335],
      [0.5, 0.509],
    ]) {
      const users = new Array<number>(weights.length).fill(0);
      for (let i = 0; i < 300_000; i++) {
        const a = assign(experiment(weights), { id: `user-${i}` });
        if (a.inExperiment) users[a.index]!++;
      }
      const srm = sampleRatioMismatch(users, expectedShares(weights.length, 1, weights));
      expect([weights, srm.mismatch]).toEqual([weights, false]);
      expect(srm.pValue).toBeGreaterThan(0.001);
    }
  });

  it('alarms on users found in a variant of weight 0', () => {
    const srm = sampleRatioMismatch([1000, 40], expectedShares(2, 1, [1, 0]));
    expect(srm).toMatchObject({ mismatch: true, pValue: 0 });
    expect(sampleRatioMismatch([1000, 0], expectedShares(2, 1, [1, 0])).mismatch).toBe(false);
  });

  it('leaves lift and its interval undefined where they are, never 0% [0%, 0%]', () => {
    const noControl = twoProportionTest(
      { users: 500, conversions: 0 },
      { users: 500, conversions: 9 },
    );
    expect(noControl.lift).toBeNull();
    expect(noControl.liftCi).toBeNull();
    const noVariant = twoProportionTest(
      { users: 500, conversions: 9 },
      { users: 500, conversions: 0 },
    );
    expect(noVariant.lift).toBeCloseTo(-1, 10);
    expect(noVariant.liftCi).toBeNull();
    const neither = twoProportionTest(
      { users: 500, conversions: 0 },
      { users: 500, conversions: 0 },
    );
    expect(neither.differenceCi).toBeNull();
    expect(
      twoProportionTest({ users: 500, conversions: 50 }, { users: 500, conversions: 60 }).liftCi,
    ).toHaveLength(2);
  });

  it('keeps the false-positive rate of 2,000 A/A experiments at 5% ± 1.5%', () => {
    const random = seeded(7);
    let positives = 0;
    for (let run = 0; run < 2000; run++) {
      const a = { users: 2000, conversions: binomial(random, 2000, 0.1) };
      const b = { users: 2000, conversions: binomial(random, 2000, 0.1) };
      if (twoProportionTest(a, b).significant) positives++;
    }
    expect(positives / 2000).toBeGreaterThanOrEqual(0.035);
    expect(positives / 2000).toBeLessThanOrEqual(0.065);
  });

  it('detects a real 20% relative lift in at least 80% of runs at adequate sample size', () => {
    const random = seeded(11);
    const detect = (perArm: number, runs: number) => {
      let found = 0;
      for (let run = 0; run < runs; run++) {
        const a = { users: perArm, conversions: binomial(random, perArm, 0.1) };
        const b = { users: perArm, conversions: binomial(random, perArm, 0.12) };
        const result = twoProportionTest(a, b);
        if (result.significant && result.lift !== null && result.lift > 0) found++;
      }
      return found / runs;
    };
    // The calculator's size for 80% power delivers about 80%...
    const n80 = sampleSizePerArm(0.1, 0.12, 0.05, 0.8);
    const at80 = detect(n80, 600);
    expect(at80).toBeGreaterThan(0.75);
    expect(at80).toBeLessThan(0.86);
    // ...and a sample planned for 90% power detects it in at least 80% of runs.
    expect(detect(sampleSizePerArm(0.1, 0.12, 0.05, 0.9), 600)).toBeGreaterThanOrEqual(0.8);
  });

  it('gives confidence intervals that hold the true difference about 95% of the time', () => {
    const random = seeded(3);
    let covered = 0;
    for (let run = 0; run < 1000; run++) {
      const a = { users: 3000, conversions: binomial(random, 3000, 0.2) };
      const b = { users: 3000, conversions: binomial(random, 3000, 0.22) };
      const [low, high] = twoProportionTest(a, b).differenceCi!;
      if (low <= 0.02 && 0.02 <= high) covered++;
    }
    expect(covered / 1000).toBeGreaterThan(0.93);
    expect(covered / 1000).toBeLessThan(0.97);
  });

  it('computes chance to win and expected loss (beta-binomial) as the normal limit does', () => {
    const control = { users: 4000, conversions: 400 };
    const variant = { users: 4000, conversions: 452 };
    const result = bayesian(control, variant);
    const mean = (a: number, b: number) => a / (a + b);
    const variance = (a: number, b: number) => (a * b) / ((a + b) ** 2 * (a + b + 1));
    const mu = mean(453, 3549) - mean(401, 3601);
    const sigma = Math.sqrt(variance(453, 3549) + variance(401, 3601));
    expect(result.chanceToWin).toBeCloseTo(normalCdf(mu / sigma), 2);
    const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    // E[max(pC − pV, 0)] with pC − pV ~ N(−mu, sigma²).
    const loss = -mu * normalCdf(-mu / sigma) + sigma * phi(mu / sigma);
    expect(result.expectedLossVariant).toBeCloseTo(loss, 4);
    const swapped = bayesian(variant, control);
    expect(swapped.chanceToWin + result.chanceToWin).toBeCloseTo(1, 6);
    expect(swapped.expectedLossControl).toBeCloseTo(result.expectedLossVariant, 8);
  });
});
