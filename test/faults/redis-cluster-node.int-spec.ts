import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScreeningUnavailableError } from '@sekimori/contracts';
import { createRedisClient, type RedisClient, readyNodes } from '@sekimori/redis';
import { SanctionsListStore } from '@sekimori/list-store';
import { waitFor } from '../support/env';
import { excerptList } from '../support/lists';
import { freshPrefix } from '../support/redis';
import { ROOT } from '../support/screener-process';

jest.setTimeout(120_000);

const run = promisify(execFile);
const SCRIPT = join(ROOT, 'scripts', 'stack', 'redis-cluster.sh');

/**
 * A cluster of its own (its own STACK_DIR and ports), so that pausing a master disturbs no other
 * test: the shared stack's cluster, if any, is left alone.
 */
describe('a Redis Cluster master that stops answering', () => {
  let stackDir: string;
  let client: RedisClient;

  beforeAll(async () => {
    stackDir = mkdtempSync(join(tmpdir(), 'sekimori-cluster-'));
    await run('bash', [SCRIPT, 'start'], {
      env: {
        ...process.env,
        STACK_DIR: stackDir,
        REDIS_CLUSTER_PORT_BASE: '7300',
        STACK_QUIET: '1',
      },
      timeout: 90_000,
    });
    const url = /^STACK_REDIS_CLUSTER_URL=(.*)$/m.exec(
      readFileSync(join(stackDir, 'redis-cluster.env'), 'utf8'),
    )?.[1];
    if (!url) throw new Error('redis-cluster.sh wrote no STACK_REDIS_CLUSTER_URL');
    // The screener's own client: fail fast, no queue; it is used once it knows the slot map.
    client = createRedisClient({ url, cluster: true });
    await readyNodes(client);
  });

  afterAll(async () => {
    client?.disconnect();
    await run('bash', [SCRIPT, 'stop'], { env: { ...process.env, STACK_DIR: stackDir } });
    rmSync(stackDir, { recursive: true, force: true });
  });

  it('holds the lookup as REDIS_UNAVAILABLE, never answers without the list, and serves again once it is back', async () => {
    const prefix = freshPrefix();
    const store = new SanctionsListStore(client, prefix);
    const list = await excerptList();
    await store.publish(list);
    const key = list.entries[0].key;
    expect((await store.lookup([key])).hits.has(key)).toBe(true);

    // The master that serves the list store's slot, found as the client routes it.
    const slot = Number(await client.call('CLUSTER', 'KEYSLOT', `{${prefix}}`));
    const shards = (await client.call('CLUSTER', 'SLOTS')) as Array<
      [number, number, [string, number]]
    >;
    const owner = shards.find(([from, to]) => from <= slot && slot <= to);
    if (!owner) throw new Error(`no master serves slot ${slot}`);
    const port = owner[2][1];
    const pid = Number(readFileSync(join(stackDir, 'redis-cluster', String(port), 'pid'), 'utf8'));
    process.kill(pid, 'SIGSTOP');
    try {
      const paused = store.lookup([key]);
      await expect(paused).rejects.toThrow(ScreeningUnavailableError);
      await expect(paused).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', retriable: true });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const back = await waitFor(
      'the lookup to answer again',
      () => store.lookup([key]).catch(() => undefined),
      30_000,
      200,
    );
    expect(back.hits.get(key)?.[0].listId).toBe(list.listId);
  });
});
