/**
 * Token buckets by key (an identity, an address): what the server's limits count per someone.
 * A bucket that has refilled is no different from a new one, so full ones are dropped now and
 * then: the map holds only the keys that were limited recently, not every key ever seen.
 */
import { TokenBucket } from '../src-shared/rate-limit';

export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweptAt = Date.now();

  /** `capacity` may depend on the key (a new identity gets a smaller burst). */
  constructor(
    private readonly capacity: number | ((key: string) => number),
    private readonly perSecond: number,
  ) {}

  /** Whether `cost` tokens are there, without taking them. */
  has(key: string, cost: number): boolean {
    return (this.buckets.get(key)?.waitFor(cost) ?? 0) === 0;
  }

  take(key: string, cost = 1): boolean {
    this.sweep();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const capacity = typeof this.capacity === 'number' ? this.capacity : this.capacity(key);
      this.buckets.set(key, (bucket = new TokenBucket(capacity, this.perSecond)));
    }
    return bucket.take(cost);
  }

  private sweep(): void {
    if (Date.now() - this.sweptAt < 30_000) return;
    this.sweptAt = Date.now();
    for (const [key, bucket] of this.buckets) if (bucket.isFull()) this.buckets.delete(key);
  }
}
