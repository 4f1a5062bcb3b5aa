import { TokenBucket } from '../../src-shared/rate-limit';

describe('token bucket', () => {
  it('allows its burst at once, then its rate, and never saves more than its capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(5, 2, () => now);
    expect(Array.from({ length: 7 }, () => bucket.take())).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    now += 500; // half a second at 2/s: one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // a long pause refills to the capacity, not beyond
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });

  it('says when it is full again (and so may be forgotten)', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 2, () => now);
    expect(bucket.isFull()).toBe(true);
    bucket.take();
    expect(bucket.isFull()).toBe(false);
    now += 400;
    expect(bucket.isFull()).toBe(false);
    now += 100; // 0.5 s at 2/s: the one token is back
    expect(bucket.isFull()).toBe(true);
  });
});
