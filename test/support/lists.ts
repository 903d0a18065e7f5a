// Sanctions lists for tests that publish their own versions: the real OFAC excerpt, and versions of
// it with made-up additions (list switches, re-screens, replays).
import { join } from 'node:path';
import { classifyListedAddress } from '@sekimori/chains';
import { parseOfacSdnAdvanced } from '@sekimori/list-sources';
import { type PublishableList, SanctionsListStore } from '@sekimori/list-store';
import { onRedisCluster, testRedisUrl } from './env';
import { redisClient, redisClientFor } from './redis';
import { ROOT } from './screener-process';

let excerpt: Promise<PublishableList> | null = null;

/** The real OFAC excerpt of test/fixtures/lists (8 parties, Garantex and Grinex among them). */
export function excerptList(): Promise<PublishableList> {
  excerpt ??= parseOfacSdnAdvanced(
    join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml'),
  );
  return excerpt;
}

/**
 * Publishes a list into any Redis (loadListWithCli only knows the default one), through the
 * same store the list-loader uses: a complete version beside the old one, then an atomic switch.
 */
export async function publishList(
  redisUrl: string,
  prefix: string,
  list: PublishableList,
): Promise<string> {
  const redis =
    onRedisCluster() && redisUrl === testRedisUrl() ? redisClient() : redisClientFor(redisUrl);
  try {
    return (await new SanctionsListStore(redis, prefix).publish(list)).version;
  } finally {
    redis.disconnect();
  }
}

/** The excerpt with one more (made-up) entry: another version that still holds every address. */
export async function excerptListWithAddition(tag: string): Promise<PublishableList> {
  const list = await excerptList();
  const listed = classifyListedAddress(
    `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`,
    'ETH',
  );
  if (!listed) throw new Error('the made-up address does not classify as an ETH address');
  return {
    ...list,
    entries: [
      ...list.entries,
      {
        key: listed.key,
        chain: listed.chain,
        address: listed.canonical,
        entityId: '99999',
        entityName: 'FAULT TEST ADDITION',
        programs: ['CYBER2'],
        tag: 'ETH',
      },
    ],
  };
}
