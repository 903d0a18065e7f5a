import { TokenBuckets } from './rate-limit';

describe('TokenBuckets', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 0;
  });

  it('lets a burst of perSecond through, then asks the key to wait for the next token', () => {
    const buckets = new TokenBuckets(10, 100, clock);
    for (let i = 0; i < 10; i += 1) expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeCloseTo(0.1);
    now = 50;
    expect(buckets.take('a')).toBeCloseTo(0.05);
    now = 100;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('keeps keys apart: one key emptied leaves another untouched', () => {
    const buckets = new TokenBuckets(2, 100, clock);
    buckets.take('flood');
    buckets.take('flood');
    expect(buckets.take('flood')).toBeGreaterThan(0);
    expect(buckets.take('calm')).toBe(0);
  });

  it('refills to the burst and no further', () => {
    const buckets = new TokenBuckets(5, 100, clock);
    buckets.take('a');
    now = 60_000;
    let allowed = 0;
    while (buckets.take('a') === 0) allowed += 1;
    expect(allowed).toBe(5);
  });

  it('allows at most one a second with a rate under one', () => {
    const buckets = new TokenBuckets(0.5, 100, clock);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeCloseTo(2);
  });

  it('holds at most maxKeys buckets, dropping the least recently used', () => {
    const buckets = new TokenBuckets(1, 3, clock);
    for (const key of ['a', 'b', 'c']) buckets.take(key);
    buckets.take('a');
    buckets.take('d');
    expect(buckets.size).toBe(3);
    // 'a' was used again after 'b', so 'b' went: it starts afresh, 'a' is still empty.
    expect(buckets.take('b')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
    for (let i = 0; i < 100_000; i += 1) buckets.take(`k${i}`);
    expect(buckets.size).toBe(3);
  });
});
