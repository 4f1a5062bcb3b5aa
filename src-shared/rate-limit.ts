/**
 * A token bucket: `capacity` requests at once, refilled at `perSecond`. Used by the server per
 * connection and per identity; pure, with the clock injected for tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes `cost` tokens (one request, or the events of a batch) if there are that many. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Seconds until `cost` tokens are there (0 when they are now). */
  waitFor(cost = 1): number {
    this.refill();
    return this.tokens >= cost ? 0 : (cost - this.tokens) / this.perSecond;
  }

  /** Full again: no different from a new bucket, so a map of them may drop it. */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
  }
}
