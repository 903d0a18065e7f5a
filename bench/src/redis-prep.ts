import type { Redis } from 'ioredis';
import type { Rate } from '@sekimori/contracts';
import { RatesStore } from '@sekimori/screening-redis';

/**
 * Gives a variant its own Redis key prefix holding the list the loader published under
 * `source`: COPY of every list key (Redis ≥ 6.2), far cheaper than parsing the OFAC file again.
 * Structuring windows and rates start empty, so every variant screens from the same state.
 */
export async function cloneLists(redis: Redis, source: string, target: string): Promise<number> {
  const from = `{${source}}:lists:`;
  const to = `{${target}}:lists:`;
  let cursor = '0';
  let copied = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${from}*`, 'COUNT', 1000);
    for (const key of keys) {
      await redis.copy(key, to + key.slice(from.length));
      copied += 1;
    }
    cursor = next;
  } while (cursor !== '0');
  if (copied === 0) throw new Error(`no list keys under ${from}: did the loader run?`);
  return copied;
}

/** Rates known before the stream starts, so valuations do not depend on topic interleaving. */
export async function seedRates(redis: Redis, prefix: string, rates: Rate[]): Promise<void> {
  await new RatesStore(redis, prefix).putMany(rates);
}
