import { SanctionsListStore } from '@sekimori/sanctions';
import type Redis from 'ioredis';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl } from '../support/env';
import { UN_FILE } from '../support/fixtures';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT } from '../support/screener-process';

const LOADER = join(ROOT, 'dist', 'apps', 'list-loader', 'main.js');
const SHIPPED = join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2');
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const notOk = (name: string): string => join(ROOT, 'test', 'fixtures', 'lists', 'not-ok', name);
const GARANTEX_BTC = 'bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';

interface Run {
  code: number;
  logs: Array<Record<string, unknown>>;
  stderr: string;
}

/** Runs the built loader as an operator would, configured by environment only. */
function runLoader(
  prefix: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [LOADER, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          REDIS_URL: testRedisUrl(),
          REDIS_KEY_PREFIX: prefix,
          ...extraEnv,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const logs = stdout
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, logs, stderr });
      },
    );
  });
}

describe('list-loader CLI (built artifact) on a real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let store: SanctionsListStore;

  beforeAll(() => {
    // `npm test` builds first; a direct jest run may not have.
    if (!existsSync(LOADER))
      execFileSync('npx', ['nest', 'build', 'list-loader'], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  beforeEach(() => {
    redis = redisClient();
    prefix = freshPrefix();
    store = new SanctionsListStore(redis, prefix);
  });

  afterEach(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('loads the shipped OFAC file and logs what it loaded', async () => {
    const run = await runLoader(prefix, [SHIPPED]);
    expect(run.code).toBe(0);
    const done = run.logs.find((l) => l.msg === 'list published');
    expect(done).toMatchObject({
      listId: 'ofac-sdn',
      issuedAt: '2025-11-19',
      unchanged: false,
      counts: { parties: 79, features: 761, distinctAddresses: 745, keys: 745 },
      input: { xmlBytes: 120_977_559 },
    });
    expect(done?.durationsMs).toEqual({
      parse: expect.any(Number),
      publish: expect.any(Number),
      total: expect.any(Number),
    });
    expect(done?.peakRssMb).toEqual(expect.any(Number));
    const [meta] = await store.currentVersions();
    expect(meta).toMatchObject({
      listId: 'ofac-sdn',
      version: done?.version,
      issuedAt: '2025-11-19',
    });
  }, 60_000);

  it.each([
    ['truncated.xml', /unexpected end of XML at byte 43889 .*looks truncated/],
    ['truncated.xml.bz2', /bzip2 could not decompress .*truncated or corrupt/],
    ['mismatched-tag.xml', /malformed XML .* line 1029/],
  ])('rejects not-ok/%s with exit 1 and keeps the current list', async (name, message) => {
    expect((await runLoader(prefix, [EXCERPT])).code).toBe(0);
    const before = await store.currentVersion('ofac-sdn');

    const run = await runLoader(prefix, [notOk(name)]);
    expect(run.code).toBe(1);
    const failure = run.logs.find((l) => l.level === 50);
    expect(String(failure?.msg)).toMatch(/^list file rejected, current version untouched: /);
    expect(String(failure?.msg)).toMatch(message);

    expect(await store.currentVersion('ofac-sdn')).toBe(before);
    const lookup = await store.lookup([GARANTEX_BTC]);
    expect(lookup.versions['ofac-sdn']).toBe(before);
    expect(lookup.hits.get(GARANTEX_BTC)?.[0].entityName).toBe('GARANTEX EUROPE OU');
  });

  it('--if-empty loads into an empty store and leaves a loaded one alone', async () => {
    const first = await runLoader(prefix, ['--if-empty', EXCERPT]);
    expect(first.code).toBe(0);
    const version = await store.currentVersion('ofac-sdn');
    expect(version).toMatch(/^[0-9a-f]{16}$/);

    const second = await runLoader(prefix, ['--if-empty', SHIPPED]);
    expect(second.code).toBe(0);
    expect(second.logs).toEqual([expect.objectContaining({ msg: 'list already loaded', version })]);
    expect(await store.currentVersion('ofac-sdn')).toBe(version);
  });

  it('loads the UN consolidated list as its own names-only list beside the OFAC list', async () => {
    expect((await runLoader(prefix, [EXCERPT])).code).toBe(0);
    const run = await runLoader(prefix, [UN_FILE]);
    expect(run.code).toBe(0);
    expect(run.logs.find((l) => l.msg === 'list published')).toMatchObject({
      format: 'un-consolidated',
      listId: 'un-consolidated',
      issuedAt: '2025-11-20',
      counts: { entries: 0, keys: 0, names: { names: 4_122 } },
    });
    expect((await store.currentVersions()).map((v) => v.listId)).toEqual([
      'ofac-sdn',
      'un-consolidated',
    ]);
    // The OFAC list still answers for its addresses.
    const lookup = await store.lookup([GARANTEX_BTC]);
    expect(lookup.hits.get(GARANTEX_BTC)?.map((h) => h.listId)).toEqual(['ofac-sdn']);
  });

  it('rejects a truncated UN file with exit 1 and keeps the loaded UN version', async () => {
    expect((await runLoader(prefix, [UN_FILE])).code).toBe(0);
    const before = await store.currentVersion('un-consolidated');
    const whole = readFileSync(UN_FILE);
    const truncated = join(mkdtempSync(join(tmpdir(), 'sekimori-un-')), 'un-truncated.xml');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));

    const run = await runLoader(prefix, [truncated]);
    expect(run.code).toBe(1);
    const failure = run.logs.find((l) => l.level === 50);
    expect(String(failure?.msg)).toMatch(/^list file rejected, current version untouched: /);
    expect(String(failure?.msg)).toMatch(/truncated/);
    expect(await store.currentVersion('un-consolidated')).toBe(before);
  });

  it('exits 2 on a bad command line', async () => {
    const run = await runLoader(prefix, ['--list-id']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--list-id needs a value/);
  });

  it('loads a list whatever the settings it does not use say, and stops on a bad one it uses', async () => {
    const unused = { KAFKA_BROKERS: 'bad', DELIVERY_MODE: 'sometimes', REQUIRED_LISTS: '' };
    const run = await runLoader(prefix, [EXCERPT], unused);
    expect(run.code).toBe(0);
    expect(await store.currentVersion('ofac-sdn')).not.toBeNull();

    const bad = await runLoader(prefix, [EXCERPT], { LOG_LEVEL: 'loud' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LOG_LEVEL/);
  });
});
