import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decision, TopicNames } from '@sekimori/contracts';
import { classifyListedAddress } from '@sekimori/chains';
import { securityEnv, testBrokers, testRedisUrl, uniqueSuffix, waitFor } from '../support/env';
import { excerptList, excerptListWithAddition, GARANTEX_ETH, publishList } from '../support/faults';
import { json, onchainTransfer } from '../support/fixtures';
import {
  createTopics,
  deleteTopics,
  disconnectProducer,
  freshTopics,
  kafka,
  produce,
  TopicCollector,
  topicEnv,
} from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { ROOT, ScreenerProcess } from '../support/screener-process';

jest.setTimeout(180_000);

const REPLAY = join(ROOT, 'dist', 'apps', 'replay', 'main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The address excerptListWithAddition(tag) adds, as an event would spell it. */
function addedAddress(tag: string): string {
  const made = `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`;
  const listed = classifyListedAddress(made, 'ETH');
  if (!listed) throw new Error('made-up address does not classify');
  return listed.canonical;
}

interface ReportEvent {
  eventId: string;
  kind: string;
  decided: { decision: string } | null;
  replayed: { decision: string; listVersion: string } | null;
  changes?: {
    decision?: { from: string; to: string };
    ruleIds: { added: string[]; removed: string[] };
    alertIds: { added: string[]; removed: string[] };
  };
}

interface Report {
  summary: {
    events: number;
    same: number;
    different: number;
    notDecided: number;
    transitions: Record<string, number>;
  };
  events: ReportEvent[];
}

// Exactly-once writes the decisions in transactions: the read must end on their commit markers.
describe.each(['at-least-once', 'exactly-once'])(
  'audit replay (npm run replay) of a %s screener, on the real broker and Redis',
  (mode) => {
    const redis = redisClient();
    const prefix = freshPrefix();
    const tag = `replay-${prefix}`;
    const groupId = `replay-test-${uniqueSuffix()}`;
    const dir = mkdtempSync(join(tmpdir(), 'sekimori-replay-'));
    let topics: TopicNames;
    let decisions: TopicCollector;

    beforeAll(async () => {
      topics = freshTopics();
      await createTopics(topics);
      decisions = await new TopicCollector(topics.decisions).start();
    });

    afterAll(async () => {
      await decisions.stop();
      await deleteTopics(topics);
      await disconnectProducer();
      await dropPrefix(redis, prefix);
      redis.disconnect();
    });

    function replay(args: string[]): Promise<Run> {
      return new Promise((resolve) => {
        execFile(
          process.execPath,
          [REPLAY, ...args],
          {
            env: {
              PATH: process.env.PATH ?? '',
              KAFKA_BROKERS: testBrokers().join(','),
              REDIS_URL: testRedisUrl(),
              REDIS_KEY_PREFIX: prefix,
              KAFKA_GROUP_ID: groupId,
              LOG_LEVEL: 'warn',
              ...securityEnv(),
              ...topicEnv(topics),
            },
            timeout: 120_000,
          },
          (error, stdout, stderr) => {
            const code = error ? ((error as { code?: number }).code ?? 1) : 0;
            resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
          },
        );
      });
    }

    /** Every key of the test's prefix with its serialised value: what "writes no state" compares. */
    async function redisState(): Promise<Map<string, string>> {
      const keys = (await redis.keys(`*${prefix}*`)).sort();
      const state = new Map<string, string>();
      for (const key of keys) state.set(key, (await redis.dumpBuffer(key))?.toString('hex') ?? '');
      return state;
    }

    async function endOffsets(topic: string): Promise<string> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets.map((o) => `${o.partition}:${o.high}`).join(',');
      } finally {
        await admin.disconnect();
      }
    }

    async function replayGroups(): Promise<string[]> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.listGroups();
        return groups.map((g) => g.groupId).filter((id) => id.startsWith(`${groupId}-replay-`));
      } finally {
        await admin.disconnect();
      }
    }

    it('reproduces the decisions made, shows what a newer version changes, refuses an unknown version, and writes nothing', async () => {
      const v1 = await publishList(testRedisUrl(), prefix, await excerptList());
      const screener = await ScreenerProcess.start({
        ...topicEnv(topics),
        REDIS_KEY_PREFIX: prefix,
        RETRO_SCREENING: 'false',
        DELIVERY_MODE: mode,
        KAFKA_GROUP_ID: groupId,
      });
      const target = addedAddress(tag);
      const from = new Date(Date.now() - 1_000).toISOString();
      const toTarget = onchainTransfer({ to: target });
      const fromTarget = onchainTransfer({
        from: [target],
        to: '0x52908400098527886E0F7030069857D2E4169EE7',
      });
      const toGarantex = onchainTransfer({ to: GARANTEX_ETH });
      const clean = onchainTransfer();
      const events = [toTarget, fromTarget, toGarantex, clean];
      const ids = events.map((e) => String(e.eventId));
      for (const event of events) {
        await produce(topics.onchain, [{ key: String(event.eventId), value: json(event) }]);
      }
      const decided = (id: string): Decision | undefined =>
        decisions.json<Decision>().find((d) => d.eventId === id);
      await waitFor('the four decisions', () => ids.every((id) => decided(id)), 60_000);
      expect(ids.map((id) => decided(id)?.decision)).toEqual(['pass', 'pass', 'block', 'pass']);
      expect(decided(ids[0])?.listVersion).toBe(`ofac-sdn:${v1}`);
      await screener.stop('SIGTERM');
      const to = new Date(Date.now() + 1_000).toISOString();

      // The update lists the address two of the transfers touched.
      const v2 = await publishList(testRedisUrl(), prefix, await excerptListWithAddition(tag));
      expect(v2).not.toBe(v1);
      const stateBefore = await redisState();
      const alertsBefore = await endOffsets(topics.alerts);
      const decisionsBefore = await endOffsets(topics.decisions);

      // Against the versions each event was screened against: the decisions made, no difference.
      const asDecided = join(dir, 'as-decided.json');
      const first = await replay([
        ...['--topic', topics.onchain, '--from', from, '--to', to, '--out', asDecided],
      ]);
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toContain('4 events: 4 same, 0 different, 0 not decided');
      const same = JSON.parse(readFileSync(asDecided, 'utf8')) as Report;
      expect(same.summary).toMatchObject({ events: 4, same: 4, different: 0, notDecided: 0 });
      // The report lists events by partition and offset.
      const replayedAsDecided = new Map(same.events.map((e) => [e.eventId, e.replayed]));
      for (const id of ids) {
        expect(replayedAsDecided.get(id)).toMatchObject({
          decision: decided(id)?.decision,
          listVersion: `ofac-sdn:${v1}`,
        });
      }

      // Against the newer version: the two transfers of the added address would be blocked.
      const newer = join(dir, 'newer.json');
      const second = await replay([
        ...['--topic', topics.onchain, '--from', from, '--to', to],
        ...['--lists', `ofac-sdn:${v2}`, '--out', newer],
      ]);
      expect(second).toMatchObject({ code: 0 });
      expect(second.stdout).toContain('4 events: 2 same, 2 different, 0 not decided');
      expect(second.stdout).toContain(`pass→block  ${ids[0]}  +SANCTIONS_ADDRESS_MATCH`);
      const diff = JSON.parse(readFileSync(newer, 'utf8')) as Report;
      expect(diff.summary).toMatchObject({
        events: 4,
        same: 2,
        different: 2,
        transitions: { 'pass→block': 2 },
      });
      const byId = new Map(diff.events.map((e) => [e.eventId, e]));
      for (const id of [ids[0], ids[1]]) {
        expect(byId.get(id)).toMatchObject({
          kind: 'decision',
          decided: { decision: 'pass' },
          replayed: { decision: 'block', listVersion: `ofac-sdn:${v2}` },
          changes: {
            decision: { from: 'pass', to: 'block' },
            ruleIds: { added: ['SANCTIONS_ADDRESS_MATCH'], removed: [] },
          },
        });
        expect(byId.get(id)?.changes?.alertIds.added).toHaveLength(1);
      }
      expect(byId.get(ids[2])).toMatchObject({ kind: 'same', replayed: { decision: 'block' } });
      expect(byId.get(ids[3])).toMatchObject({ kind: 'same', replayed: { decision: 'pass' } });

      // A version never loaded (or dropped beyond LIST_RETAIN_VERSIONS): a clear error, exit 1.
      const unknown = await replay([
        ...['--topic', topics.onchain, '--from', from, '--to', to],
        ...['--lists', 'ofac-sdn:feedfeedfeedfeed'],
      ]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('ofac-sdn:feedfeedfeedfeed');
      expect(unknown.stderr).toContain('LIST_RETAIN_VERSIONS=30');
      expect(unknown.stdout).toBe('');

      // Read-only: no key written or changed, nothing published, no consumer group left behind.
      expect(await redisState()).toEqual(stateBefore);
      expect(await endOffsets(topics.alerts)).toBe(alertsBefore);
      expect(await endOffsets(topics.decisions)).toBe(decisionsBefore);
      expect(await replayGroups()).toEqual([]);
    });

    it('a bad command line gets the usage and exit 2, before touching anything', async () => {
      const run = await replay(['--topic', topics.onchain, '--from', 'yesterday', '--to', 'now']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("--from needs an ISO-8601 time with a zone, got 'yesterday'");
      expect(run.stderr).toContain('usage: replay');
      const wrongTopic = await replay([
        ...['--topic', topics.alerts, '--from', '2026-03-01T00:00:00Z'],
        ...['--to', '2026-03-02T00:00:00Z'],
      ]);
      expect(wrongTopic.code).toBe(2);
      expect(wrongTopic.stderr).toContain(`--topic ${topics.alerts} is not an input topic`);
    });
  },
);
