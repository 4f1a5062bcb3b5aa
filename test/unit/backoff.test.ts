import { backoffDelay } from '../../src-main/services/sync/backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 500, maxMs: 30_000 };

  it('doubles per attempt within [ceiling/2, ceiling] and stops at the cap', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(30_000, 500 * 2 ** attempt);
      expect(backoffDelay(attempt, options, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(attempt, options, () => 1)).toBe(ceiling);
    }
    expect(backoffDelay(1000, options, () => 1)).toBe(30_000);
  });

  it('spreads clients out: random draws give different delays', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(5, options)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
