import { ListSourceStore, SanctionsListStore } from '@sekimori/list-store';
import type { RedisClient } from '@sekimori/redis';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { securityEnv, testBrokers, testRedisUrl, uniqueSuffix, waitFor } from '../support/env';
import { MOF_FILE, runLoader, UN_FILE } from '../support/fixtures';
import { kafka } from '../support/kafka';
import { ListServer } from '../support/list-server';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT } from '../support/screener-process';

const LOADER = join(ROOT, 'dist', 'apps', 'list-loader', 'main.js');
const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');
const EXCERPT_BZ2 = `${EXCERPT}.bz2`;
const TRUNCATED = join(ROOT, 'test', 'fixtures', 'lists', 'not-ok', 'truncated.xml');
const UN = readFileSync(UN_FILE);

/** The UN list with one name changed, issued on `date` (the shipped file: 2025-11-20). */
function unEdition(date: string, secondName: string): Buffer {
  return Buffer.from(
    UN.toString('utf8')
      .replace('dateGenerated="2025-11-20T23:00:09.067Z"', `dateGenerated="${date}T23:00:00.000Z"`)
      .replace('<SECOND_NAME>BADEGE</SECOND_NAME>', `<SECOND_NAME>${secondName}</SECOND_NAME>`),
  );
}

type Log = Record<string, unknown>;
interface Run {
  code: number;
  logs: Log[];
  stderr: string;
}

describe('lists:update (built artifact) against a local HTTP server, a real Redis and Kafka', () => {
  let redis: RedisClient;
  let prefix: string;
  let store: SanctionsListStore;
  let server: ListServer;
  let listsTopic: string;

  beforeAll(() => {
    if (!existsSync(LOADER))
      execFileSync('npx', ['nest', 'build', 'list-loader'], { cwd: ROOT, stdio: 'inherit' });
  }, 120_000);

  beforeEach(async () => {
    redis = redisClient();
    prefix = freshPrefix();
    store = new SanctionsListStore(redis, prefix);
    server = await new ListServer().start();
    listsTopic = `t.lists.${uniqueSuffix()}`;
  });

  afterEach(async () => {
    await server.stop();
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  const env = (extra: Record<string, string>): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    KAFKA_BROKERS: testBrokers().join(','),
    TOPIC_LISTS: listsTopic,
    KAFKA_TOPIC_PARTITIONS: '1',
    LIST_FETCH_RETRY_DELAY_MS: '20',
    ...securityEnv(),
    ...extra,
  });

  const update = (extra: Record<string, string>, args: string[] = []): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [LOADER, 'update', ...args],
        { env: env(extra), timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? ((error as { code?: number }).code ?? 1) : 0;
          resolve({ code, logs: jsonLines(stdout), stderr });
        },
      );
    });

  const outcomeOf = (run: Run, listId: string): Log | undefined =>
    run.logs.find((l) => l.listId === listId && typeof l.outcome === 'string');
  const summary = (run: Run): Log | undefined =>
    run.logs.find((l) => String(l.msg).startsWith('list update pass done'));

  /** Messages on the lists topic: the broker's high watermark once the updater has exited. */
  async function announced(): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(listsTopic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('publishes a changed list once, announces it once, and only records checks while it is unchanged', async () => {
    server.route('/un.xml', { body: UN, etag: '"un-1"' });
    const sources = { LIST_SOURCES: `un-consolidated=${server.url('/un.xml')}` };

    const first = await update(sources);
    expect(first.code).toBe(0);
    expect(outcomeOf(first, 'un-consolidated')).toMatchObject({
      outcome: 'published',
      httpStatus: 200,
      bytes: UN.length,
      msg: 'list update: new version published',
    });
    const v1 = await store.currentVersion('un-consolidated');
    expect(v1).toMatch(/^[0-9a-f]{16}$/);
    expect(await announced()).toBe(1);
    const checked1 = (await store.versionMeta('un-consolidated', v1!))?.checkedAt;

    // Unchanged, and the server honours the validators: 304, nothing downloaded or published.
    const second = await update(sources);
    expect(second.code).toBe(0);
    expect(server.requestsTo('/un.xml')[1].headers['if-none-match']).toBe('"un-1"');
    expect(outcomeOf(second, 'un-consolidated')).toMatchObject({
      outcome: 'not-modified',
      httpStatus: 304,
      listVersion: v1,
    });
    expect(outcomeOf(second, 'un-consolidated')?.bytes).toBeUndefined();
    const checked2 = (await store.versionMeta('un-consolidated', v1!))?.checkedAt;
    expect(Date.parse(checked2!)).toBeGreaterThan(Date.parse(checked1!));

    // Unchanged, from a server without validators: downloaded, found the same, not re-published.
    server.route('/un.xml', { body: UN });
    const third = await update(sources);
    expect(third.code).toBe(0);
    expect(outcomeOf(third, 'un-consolidated')).toMatchObject({
      outcome: 'unchanged',
      httpStatus: 200,
      listVersion: v1,
    });
    expect(
      Date.parse((await store.versionMeta('un-consolidated', v1!))!.checkedAt),
    ).toBeGreaterThan(Date.parse(checked2!));
    expect(await store.history('un-consolidated')).toHaveLength(1);
    expect(await announced()).toBe(1);

    // A new edition: published once, announced once.
    server.route('/un.xml', { body: unEdition('2025-11-21', 'BADEGE-X'), etag: '"un-2"' });
    const fourth = await update(sources);
    expect(fourth.code).toBe(0);
    const v2 = await store.currentVersion('un-consolidated');
    expect(v2).not.toBe(v1);
    expect(outcomeOf(fourth, 'un-consolidated')).toMatchObject({
      outcome: 'published',
      listVersion: v2,
      previousVersion: v1,
    });
    expect((await update(sources)).logs.find((l) => l.outcome)).toMatchObject({
      outcome: 'not-modified',
    });
    expect(await announced()).toBe(2);
    expect(summary(fourth)).toMatchObject({
      sources: { 'un-consolidated': 'published' },
      failed: [],
      totals: { 'un-consolidated': { published: 1 } },
    });
  }, 120_000);

  it('does not trust a 304 for a version Redis no longer holds as current', async () => {
    server.route('/un.xml', { body: UN, etag: '"un-1"' });
    const sources = { LIST_SOURCES: `un-consolidated=${server.url('/un.xml')}` };
    expect((await update(sources)).code).toBe(0);
    // An operator loads another edition by hand: the remembered validators no longer apply.
    await new ListSourceStore(redis, prefix).save('un-consolidated', {
      url: server.url('/un.xml'),
      etag: '"un-1"',
      lastModified: null,
      version: 'ffffffffffffffff',
      checkedAt: new Date().toISOString(),
    });
    const run = await update(sources);
    expect(server.requestsTo('/un.xml')[1].headers['if-none-match']).toBeUndefined();
    expect(outcomeOf(run, 'un-consolidated')).toMatchObject({ outcome: 'unchanged' });
  }, 60_000);

  it.each<[string, (s: ListServer) => void, Record<string, string>, string, RegExp, number]>([
    [
      'a 500, retried then failing',
      (s) => s.route('/un.xml', { status: 500 }),
      { LIST_FETCH_RETRIES: '2' },
      'failed',
      /HTTP 500/,
      3,
    ],
    ['a 404, not retried', () => undefined, { LIST_FETCH_RETRIES: '2' }, 'failed', /HTTP 404/, 1],
    [
      'a timeout',
      (s) => s.route('/un.xml', { body: UN, delayMs: 2_500 }),
      { LIST_FETCH_TIMEOUT_SECONDS: '1', LIST_FETCH_RETRIES: '1' },
      'failed',
      /LIST_FETCH_TIMEOUT_SECONDS \(1 s\)/,
      2,
    ],
    [
      'a body cut off in transfer',
      (s) => s.route('/un.xml', { body: UN, cutAfter: 100_000 }),
      { LIST_FETCH_RETRIES: '1' },
      'failed',
      /connection failed|ended after/,
      2,
    ],
    [
      'a body over LIST_MAX_BYTES',
      (s) => s.route('/un.xml', { body: UN }),
      { LIST_MAX_BYTES: '100000', LIST_FETCH_RETRIES: '2' },
      'failed',
      /exceeds LIST_MAX_BYTES/,
      1,
    ],
    [
      'a truncated file',
      (s) => s.route('/un.xml', { body: UN.subarray(0, UN.length / 2) }),
      {},
      'rejected',
      /truncated/,
      1,
    ],
    [
      'a foreign file (OFAC XML where the UN list belongs)',
      (s) => s.route('/un.xml', { body: readFileSync(EXCERPT) }),
      {},
      'rejected',
      /served an OFAC SDN Advanced XML file, not a UN consolidated list/,
      1,
    ],
    [
      'an older edition',
      (s) => s.route('/un.xml', { body: unEdition('2025-11-01', 'BADEGE-OLD') }),
      {},
      'older',
      /issued 2025-11-01.*before the current version/,
      1,
    ],
  ])(
    'keeps the current version on %s, and says so in the log and the counts',
    async (_name, serve, extra, outcome, message, requests) => {
      expect((await runLoader(prefix, [UN_FILE], { TOPIC_LISTS: listsTopic })).code).toBe(0);
      const before = await store.currentVersion('un-consolidated');
      serve(server);

      const run = await update({
        LIST_SOURCES: `un-consolidated=${server.url('/un.xml')}`,
        ...extra,
      });
      expect(run.code).toBe(1);
      const line = outcomeOf(run, 'un-consolidated');
      expect(line).toMatchObject({ outcome, listVersion: before, attempts: requests });
      expect(String(line?.msg)).toMatch(/current version kept: /);
      expect(String(line?.msg)).toMatch(message);
      expect(summary(run)).toMatchObject({
        failed: ['un-consolidated'],
        totals: { 'un-consolidated': { [outcome]: 1 } },
      });
      expect(server.requestsTo('/un.xml')).toHaveLength(requests);
      expect(await store.currentVersion('un-consolidated')).toBe(before);
      expect(await store.history('un-consolidated')).toHaveLength(1);
    },
    60_000,
  );

  it('loads the bz2-compressed OFAC file and refuses an OFAC file cut short', async () => {
    server.route('/sdn.xml.bz2', { body: readFileSync(EXCERPT_BZ2) });
    const sources = { LIST_SOURCES: `ofac-sdn=${server.url('/sdn.xml.bz2')}` };
    expect(outcomeOf(await update(sources), 'ofac-sdn')).toMatchObject({ outcome: 'published' });
    const version = await store.currentVersion('ofac-sdn');
    server.route('/sdn.xml.bz2', { body: readFileSync(TRUNCATED) });
    const run = await update(sources);
    expect(run.code).toBe(1);
    expect(outcomeOf(run, 'ofac-sdn')).toMatchObject({ outcome: 'rejected', listVersion: version });
    expect(await store.currentVersion('ofac-sdn')).toBe(version);
  }, 60_000);

  it('--watch finds MOF through its index page, checks on every interval, counts on /metrics and stops on SIGTERM', async () => {
    server
      .route('/economic_sanctions/list.html', {
        body: Buffer.from(
          '<html><body><a href="./shisantouketsu20251201.xlsx">old</a>' +
            '<a href="./shisantouketsu20260305.xlsx">資産凍結等の対象者リスト</a></body></html>',
        ),
      })
      .route('/economic_sanctions/shisantouketsu20260305.xlsx', {
        body: readFileSync(MOF_FILE),
        lastModified: 'Thu, 05 Mar 2026 01:00:00 GMT',
      })
      .route('/sdn.xml', { status: 503 });
    const child = spawn(process.execPath, [LOADER, 'update', '--watch'], {
      env: env({
        LIST_SOURCES: `jp-mof=${server.url('/economic_sanctions/list.html')},ofac-sdn=${server.url('/sdn.xml')}`,
        LIST_CHECK_INTERVAL_MINUTES: '0.02',
        LIST_FETCH_RETRIES: '1',
        LIST_UPDATER_METRICS_PORT: '0',
      }),
    });
    const logs = collect(child);
    try {
      const started = await waitFor('the start line', () =>
        logs.find((l) => l.msg === 'list updater started'),
      );
      await waitFor(
        'two passes',
        () => logs.filter((l) => String(l.msg).startsWith('list update pass done')).length >= 2,
        60_000,
      );
      const mof = logs.filter((l) => l.listId === 'jp-mof' && l.outcome);
      expect(mof[0]).toMatchObject({
        outcome: 'published',
        url: server.url('/economic_sanctions/shisantouketsu20260305.xlsx'),
      });
      expect(mof[1]).toMatchObject({ outcome: 'not-modified', httpStatus: 304 });
      expect(
        server.requestsTo('/economic_sanctions/shisantouketsu20260305.xlsx')[1].headers[
          'if-modified-since'
        ],
      ).toBe('Thu, 05 Mar 2026 01:00:00 GMT');
      expect(await store.currentVersion('jp-mof')).toBe(mof[0].listVersion);
      expect(await store.currentVersion('ofac-sdn')).toBeNull();

      const text = await (
        await fetch(`http://127.0.0.1:${String(started.metricsPort)}/metrics`)
      ).text();
      expect(text).toMatch(
        /sekimori_list_update_checks_total\{list="jp-mof",outcome="published"\} 1/,
      );
      expect(text).toMatch(
        /sekimori_list_update_checks_total\{list="ofac-sdn",outcome="failed"\} [2-9]/,
      );
      expect(text).toMatch(
        /sekimori_list_update_last_success_timestamp_seconds\{list="jp-mof"\} \d/,
      );
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(logs.at(-1)).toMatchObject({ msg: 'list updater stopped' });
  }, 120_000);

  it('refuses a bad LIST_SOURCES with exit 2, naming the variable', async () => {
    const run = await update({ LIST_SOURCES: 'ofac-sdn=ftp://example.org/sdn.xml' });
    expect(run.code).toBe(2);
    expect(jsonLines(run.stderr)).toEqual([
      expect.objectContaining({
        level: 60,
        service: 'sekimori-list-updater',
        msg: expect.stringMatching(
          /^invalid configuration: LIST_SOURCES: the URL of ofac-sdn must be http/,
        ) as unknown,
      }),
    ]);
    expect(server.requests).toHaveLength(0);
  });
});

function jsonLines(text: string): Log[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Log);
}

/** The child's log lines, as they arrive. */
function collect(child: ChildProcess): Log[] {
  const logs: Log[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    logs.push(...jsonLines(lines.join('\n')));
  });
  return logs;
}
