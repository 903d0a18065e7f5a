import { SanctionsListStore } from '@sekimori/list-store';
import { counterpartyNameKey } from '@sekimori/name-matching';
import type { RedisClient } from '@sekimori/redis';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOF_FILE, runLoader, UN_FILE } from '../support/fixtures';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT } from '../support/screener-process';

const LOADER = join(ROOT, 'dist', 'apps', 'list-loader', 'main.js');
const SHIPPED = join(ROOT, 'data', 'sanctions', 'ofac', 'sdn_advanced-2025-11-19.xml.bz2');
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const notOk = (name: string): string => join(ROOT, 'test', 'fixtures', 'lists', 'not-ok', name);
const GARANTEX_BTC = 'bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';
const okFile = (name: string): string => join(ROOT, 'test', 'fixtures', 'lists', 'ok', name);
/** A Lazarus Group address of MOF's notes (sheet 16, notice No. 68), as the store keys it. */
const LAZARUS_ETH = 'evm:0x3cffd56b47b7b41c56258d9c7731abadc360e073';

describe('list-loader CLI (built artifact) on a real Redis', () => {
  let redis: RedisClient;
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
      version: done?.listVersion,
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
    expect(second.logs).toEqual([
      expect.objectContaining({ msg: 'list already loaded', listVersion: version }),
    ]);
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

  it("loads Japan's MOF list beside OFAC's: its addresses, its names in both scripts", async () => {
    expect((await runLoader(prefix, [EXCERPT])).code).toBe(0);
    const run = await runLoader(prefix, [MOF_FILE]);
    expect(run.code).toBe(0);
    const done = run.logs.find((l) => l.msg === 'list published');
    expect(done).toMatchObject({
      format: 'jp-mof-xlsx',
      listId: 'jp-mof',
      issuedAt: '2026-03-05',
      counts: { entries: 26, keys: 26, byChain: { ethereum: 9, bitcoin: 17 } },
      input: { sheets: 45, indexSheet: '一覧' },
    });
    expect((await store.currentVersions()).map((v) => v.listId)).toEqual(['jp-mof', 'ofac-sdn']);

    const japanese = counterpartyNameKey('セルゲイ・ラヴロフ')!;
    const english = counterpartyNameKey('Sergey Lavrov')!;
    const lookup = await store.lookup([LAZARUS_ETH, GARANTEX_BTC], [japanese, english]);
    expect(lookup.hits.get(LAZARUS_ETH)).toEqual([
      expect.objectContaining({
        listId: 'jp-mof',
        entityId: '16-68',
        entityName: 'Lazarus Group / ラザルス・グループ',
        programs: [expect.stringMatching(/^16\. 国際平和のための/), 'notice 2022-12-02 No. 68'],
      }),
    ]);
    expect(lookup.hits.get(GARANTEX_BTC)?.map((h) => h.listId)).toEqual(['ofac-sdn']);
    for (const key of [japanese, english]) {
      expect(lookup.nameHits.get(key)?.map((h) => [h.listId, h.entityId])).toEqual([
        ['jp-mof', '29-2'],
      ]);
    }
  }, 60_000);

  it.each([
    ['truncated.xlsx', /looks truncated/],
    ['uk-conlist-head.xlsx', /not a MOF asset-freeze list/],
  ])(
    'rejects a MOF file cut in half or foreign (%s), keeping the loaded version',
    async (kind, message) => {
      expect((await runLoader(prefix, [MOF_FILE])).code).toBe(0);
      const before = await store.currentVersion('jp-mof');
      let file = notOk(kind);
      if (kind === 'truncated.xlsx') {
        const whole = readFileSync(MOF_FILE);
        file = join(mkdtempSync(join(tmpdir(), 'sekimori-mof-')), 'shisantouketsu-half.xlsx');
        writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
      }
      const run = await runLoader(prefix, [file]);
      expect(run.code).toBe(1);
      const failure = run.logs.find((l) => l.level === 50);
      expect(String(failure?.msg)).toMatch(/^list file rejected, current version untouched: /);
      expect(String(failure?.msg)).toMatch(message);
      expect(await store.currentVersion('jp-mof')).toBe(before);
    },
    60_000,
  );

  it("loads an exchange's own CSV list under its id; refuses bad rows unless told to skip them", async () => {
    const own = okFile('own-list.csv');
    const noId = await runLoader(prefix, [own]);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/an own list needs --list-id/);
    const reserved = await runLoader(prefix, ['--list-id', 'jp-mof', own]);
    expect(reserved.code).toBe(2);

    const bad = notOk('own-list-bad-rows.csv');
    const refused = await runLoader(prefix, ['--list-id', 'desk-watch', bad]);
    expect(refused.code).toBe(1);
    expect(String(refused.logs.find((l) => l.level === 50)?.msg)).toMatch(
      /4 bad row\(s\), the file is refused whole[\s\S]*line 3: invalid bitcoin address/,
    );
    expect(await store.currentVersion('desk-watch')).toBeNull();

    const skipped = await runLoader(prefix, ['--list-id', 'desk-watch', '--skip-bad-rows', bad]);
    expect(skipped.code).toBe(0);
    expect(skipped.logs.filter((l) => l.msg === 'own list row skipped').map((l) => l.line)).toEqual(
      [3, 4, 5, 6],
    );
    const lookup = await store.lookup(['tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD']);
    expect(lookup.hits.get('tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD')).toEqual([
      expect.objectContaining({
        listId: 'desk-watch',
        entityId: 'C-1002',
        programs: ['police request'],
      }),
    ]);

    expect((await runLoader(prefix, ['--list-id', 'desk-watch', own])).code).toBe(0);
    const names = await store.lookup([], [counterpartyNameKey('Example Trading LLC')!]);
    expect(
      [...names.nameHits.values()].flat().map((h) => [h.listId, h.entityId, h.programs]),
    ).toEqual([['desk-watch', 'E-12', ['internal blocklist']]]);
  }, 60_000);

  it('loads a list whatever the settings it does not use say, and stops on a bad one it uses', async () => {
    // Kafka is used only to announce a new version (and must then be right); the rest is not read.
    const unused = { DELIVERY_MODE: 'sometimes', REQUIRED_LISTS: '', HTTP_PORT: 'none' };
    const run = await runLoader(prefix, [EXCERPT], unused);
    expect(run.code).toBe(0);
    expect(await store.currentVersion('ofac-sdn')).not.toBeNull();

    const bad = await runLoader(prefix, [EXCERPT], { LOG_LEVEL: 'loud' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LOG_LEVEL/);
  });
});
