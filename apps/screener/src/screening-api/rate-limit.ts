interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets, one per key: each holds up to `burst` requests and refills at `perSecond`.
 * Memory is bounded: past `maxKeys` the least recently used bucket is dropped, which costs that
 * key at most one fresh burst (a bucket left alone refills to full anyway).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;

  constructor(
    private readonly perSecond: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
    this.burst = Math.max(1, perSecond);
  }

  /** Takes one request's token: 0 when there was one, else the seconds until there is. */
  take(key: string): number {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.burst, at: now };
    } else {
      bucket.tokens = Math.min(
        this.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond,
      );
      bucket.at = now;
      // Re-inserted so that the Map's order is least recently used first.
      this.buckets.delete(key);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.perSecond;
  }

  get size(): number {
    return this.buckets.size;
  }
}
