import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SanctionsListStore } from '@sekimori/list-store';
import { runLoader } from '../support/fixtures';
import { createTopics, deleteTopics, freshTopics, TopicCollector } from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT } from '../support/screener-process';

jest.setTimeout(120_000);

const EXCERPT = join(ROOT, 'test', 'fixtures', 'lists', 'ok', 'sdn-advanced-excerpt.xml');

/** The excerpt with its date of issue changed, and optionally Garantex's bitcoin address dropped. */
function variant(dateOfIssue: string, dropFirstAddress = false): string {
  let xml = readFileSync(EXCERPT, 'utf8').replace(
    /<DateOfIssue[^>]*>[\s\S]*?<\/DateOfIssue>/,
    `<DateOfIssue><Year>${dateOfIssue.slice(0, 4)}</Year><Month>${Number(dateOfIssue.slice(5, 7))}</Month><Day>${Number(dateOfIssue.slice(8, 10))}</Day></DateOfIssue>`,
  );
  if (dropFirstAddress) {
    xml = xml.replace(/<Feature ID="49348"[\s\S]*?<\/Feature>/, '');
  }
  const file = join(mkdtempSync(join(tmpdir(), 'sekimori-lists-')), 'sdn_advanced.xml');
  writeFileSync(file, xml);
  return file;
}

describe('list versions: announced on lists.v1, kept, dated, checked', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  const topics = freshTopics();
  const store = new SanctionsListStore(redis, prefix);
  let lists: TopicCollector;
  const env = { TOPIC_LISTS: topics.lists };

  beforeAll(async () => {
    await createTopics(topics, 1);
    lists = await new TopicCollector(topics.lists).start();
  });

  afterAll(async () => {
    await lists.stop();
    await deleteTopics(topics);
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  it('announces each new version with what it added and removed, refuses an older file unless forced, and records a check on an unchanged reload', async () => {
    const first = await runLoader(prefix, [variant('2025-11-19')], env);
    expect(first.code).toBe(0);
    await lists.waitForCount(1);
    const [v1] = lists.json<Record<string, unknown>>();
    const entries = (v1.counts as { keys: number }).keys;
    expect(v1).toMatchObject({
      type: 'list-version',
      listId: 'ofac-sdn',
      previousVersion: null,
      issuedAt: '2025-11-19',
      added: { addresses: entries },
      removed: { addresses: 0, names: 0 },
    });
    expect(lists.messages[0].key).toBe('ofac-sdn');

    // A newer file without one address: a new version, one address removed.
    const second = await runLoader(prefix, [variant('2025-11-26', true)], env);
    expect(second.code).toBe(0);
    await lists.waitForCount(2);
    const v2 = lists.json<Record<string, unknown>>()[1];
    expect(v2).toMatchObject({
      previousVersion: v1.version,
      issuedAt: '2025-11-26',
      added: { addresses: 0, names: 0 },
      removed: { addresses: 1, names: 0 },
    });

    // An older file is refused and changes nothing; with --force it becomes current again.
    const older = await runLoader(prefix, [variant('2025-11-19')], env);
    expect(older.code).toBe(1);
    expect(String(older.logs.find((l) => l.level === 50)?.msg)).toMatch(
      /issued 2025-11-19, before the current version .* \(issued 2025-11-26\); load it with --force/,
    );
    expect(await store.currentVersion('ofac-sdn')).toBe(v2.version);
    const forced = await runLoader(prefix, ['--force', variant('2025-11-19')], env);
    expect(forced.code).toBe(0);
    expect(await store.currentVersion('ofac-sdn')).toBe(v1.version);
    await lists.waitForCount(3);
    expect(lists.json<Record<string, unknown>>()[2]).toMatchObject({
      version: v1.version,
      previousVersion: v2.version,
      added: { addresses: 1 },
    });

    // Both versions are kept for audit.
    expect((await store.history('ofac-sdn')).map((h) => h.version).sort()).toEqual(
      [v1.version as string, v2.version as string].sort(),
    );

    // Reloading the same file: a check, no new version, no announcement.
    const [before] = await store.currentVersions();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await runLoader(prefix, [variant('2025-11-19')], env);
    expect(again.code).toBe(0);
    const [after] = await store.currentVersions();
    expect(after.loadedAt).toBe(before.loadedAt);
    expect(Date.parse(after.checkedAt)).toBeGreaterThan(Date.parse(before.checkedAt));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(lists.messages).toHaveLength(3);
  });

  it('a version whose announcement failed is current, and the next load of the same file announces it', async () => {
    const other = freshPrefix();
    try {
      const file = variant('2025-12-01');
      const failed = await runLoader(other, [file], { ...env, KAFKA_BROKERS: '127.0.0.1:1' });
      expect(failed.code).toBe(1);
      expect(String(failed.logs.find((l) => String(l.msg).startsWith('load failed'))?.msg)).toMatch(
        /is current, but announcing it on .* failed/,
      );
      const version = await new SanctionsListStore(redis, other).currentVersion('ofac-sdn');
      expect(version).not.toBeNull();
      const count = lists.messages.length;
      const retried = await runLoader(other, [file], env);
      expect(retried.code).toBe(0);
      await lists.waitForCount(count + 1);
      expect(lists.json<Record<string, unknown>>()[count]).toMatchObject({ version });
    } finally {
      await dropPrefix(redis, other);
    }
  });
});
