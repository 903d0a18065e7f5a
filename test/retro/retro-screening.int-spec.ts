import type { Alert, Decision, TopicNames } from '@sekimori/contracts';
import { classifyListedAddress } from '@sekimori/chains';
import { waitFor } from '../support/env';
import { excerptList, excerptListWithAddition, publishList } from '../support/lists';
import { exchangeTransfer, json, onchainTransfer } from '../support/fixtures';
import {
  createTopics,
  deleteTopics,
  disconnectProducer,
  freshTopics,
  produce,
  TopicCollector,
  topicEnv,
} from '../support/kafka';
import { dropPrefix, freshPrefix, redisClient } from '../support/redis';
import { testRedisUrl } from '../support/env';
import { type LogLine, ScreenerProcess } from '../support/screener-process';

jest.setTimeout(180_000);

const DAY_MS = 86_400_000;

/** The address excerptListWithAddition(tag) adds, as an event would spell it. */
function addedAddress(tag: string): string {
  const made = `0x${Buffer.from(tag).toString('hex').padEnd(40, '0').slice(0, 40)}`;
  const listed = classifyListedAddress(made, 'ETH');
  if (!listed) throw new Error('made-up address does not classify');
  return listed.canonical;
}

describe('re-screening past transfers after a list update, on the real broker and Redis', () => {
  const redis = redisClient();
  const prefix = freshPrefix();
  const tag = `retro-${prefix}`;
  let topics: TopicNames;
  let screener: ScreenerProcess | null = null;
  let alerts: TopicCollector;
  let decisions: TopicCollector;

  beforeAll(async () => {
    topics = freshTopics();
    await createTopics(topics);
    alerts = await new TopicCollector(topics.alerts).start();
    decisions = await new TopicCollector(topics.decisions).start();
  });

  afterAll(async () => {
    await screener?.stop('SIGTERM');
    await alerts.stop();
    await decisions.stop();
    await deleteTopics(topics);
    await disconnectProducer();
    await dropPrefix(redis, prefix);
    redis.disconnect();
  });

  const decided = (eventId: string): Decision[] =>
    decisions.json<Decision>().filter((d) => d.eventId === eventId);
  const alerted = (eventId: string): Alert[] =>
    alerts.json<Alert>().filter((a) => a.eventId === eventId);
  const finished = (s: ScreenerProcess, version: string) => (l: LogLine) =>
    l.msg === 're-screen finished' && l.listVersion === version;

  it('raises one retroactive alert and decision for a past transfer to a newly listed address, once, and leaves older transfers alone', async () => {
    const v1 = await publishList(testRedisUrl(), prefix, await excerptList());
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_LISTS: 'ofac-sdn',
      RETRO_CHECK_INTERVAL_MS: '300',
      RETRO_LOOKBACK_DAYS: '30',
      KAFKA_GROUP_ID: `retro-${prefix}`,
    });
    await screener.waitForLog('the first version re-screened', finished(screener, v1), 60_000);

    const target = addedAddress(tag);
    const now = Date.now();
    const recent = onchainTransfer({ to: target, blockTime: new Date(now - DAY_MS).toISOString() });
    const sender = onchainTransfer({
      from: [target],
      to: '0x52908400098527886E0F7030069857D2E4169EE7',
      blockTime: new Date(now - 2 * DAY_MS).toISOString(),
    });
    const old = onchainTransfer({
      to: target,
      blockTime: new Date(now - 60 * DAY_MS).toISOString(),
    });
    const clean = onchainTransfer({ blockTime: new Date(now - DAY_MS).toISOString() });
    const past = [recent, sender, old, clean];
    for (const event of past) {
      await produce(topics.onchain, [{ key: String(event.eventId), value: json(event) }]);
    }
    await waitFor(
      'the live decisions of the past transfers',
      () => past.every((e) => decided(String(e.eventId)).length === 1),
      60_000,
    );
    expect(past.map((e) => decided(String(e.eventId))[0].decision)).toEqual([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    expect(past.flatMap((e) => alerted(String(e.eventId)))).toEqual([]);

    // The update lists the address the past transfers touched.
    const v2 = await publishList(testRedisUrl(), prefix, await excerptListWithAddition(tag));
    await screener.waitForLog('the new version re-screened', finished(screener, v2), 90_000);
    await waitFor(
      'the retroactive decisions',
      () =>
        decided(String(recent.eventId)).length === 2 &&
        decided(String(sender.eventId)).length === 2,
      30_000,
    );
    for (const event of [recent, sender]) {
      const id = String(event.eventId);
      const [retro] = alerted(id);
      expect(alerted(id)).toHaveLength(1);
      expect(retro).toMatchObject({
        ruleId: 'SANCTIONS_ADDRESS_MATCH',
        retroactive: true,
        action: 'block',
      });
      expect(retro.reasons[0]).toMatch(/^Raised retroactively: list ofac-sdn version/);
      expect(retro.matches[0]).toMatchObject({
        entityName: 'FAULT TEST ADDITION',
        listVersion: v2,
      });
      const [first, again] = decided(id);
      expect(first).toMatchObject({ decision: 'pass', retroactive: false });
      expect(again).toMatchObject({
        decision: 'block',
        retroactive: true,
        alertIds: [retro.alertId],
      });
    }
    // Older than the lookback, and clean: left alone.
    expect(alerted(String(old.eventId))).toEqual([]);
    expect(decided(String(old.eventId))).toHaveLength(1);
    expect(decided(String(clean.eventId))).toHaveLength(1);

    // A transfer after the update is screened live against it: an ordinary alert, not a retro one.
    const live = onchainTransfer({ to: target });
    await produce(topics.onchain, [{ key: String(live.eventId), value: json(live) }]);
    await waitFor('the live decision', () => decided(String(live.eventId)).length === 1, 30_000);
    expect(alerted(String(live.eventId))).toMatchObject([{ retroactive: false }]);

    // Loading the same version again starts no re-screen and raises nothing more.
    const again = await publishList(testRedisUrl(), prefix, await excerptListWithAddition(tag));
    expect(again).toBe(v2);
    const before = alerts.messages.length;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(alerts.messages.length).toBe(before);
    expect(screener.logsWith('re-screen started').map((l) => l.listVersion)).toEqual([v1, v2]);

    // A restart (same group, as in production) does not re-run a finished job.
    await screener.stop('SIGTERM');
    screener = await ScreenerProcess.start({
      ...topicEnv(topics),
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_LISTS: 'ofac-sdn',
      RETRO_CHECK_INTERVAL_MS: '300',
      RETRO_LOOKBACK_DAYS: '30',
      KAFKA_GROUP_ID: `retro-${prefix}`,
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(screener.logsWith('re-screen started')).toEqual([]);
    expect(alerts.messages.length).toBe(before);
  });

  it('raises a retroactive NAME_MATCH when a new version lists the name a past transfer carried, written in another script', async () => {
    const namesPrefix = freshPrefix();
    const namesTopics = freshTopics();
    await createTopics(namesTopics);
    const namesAlerts = await new TopicCollector(namesTopics.alerts).start();
    const namesDecisions = await new TopicCollector(namesTopics.decisions).start();
    const excerpt = await excerptList();
    const v1 = await publishList(testRedisUrl(), namesPrefix, excerpt);
    const env = {
      ...topicEnv(namesTopics),
      REDIS_KEY_PREFIX: namesPrefix,
      REQUIRED_LISTS: 'ofac-sdn',
      RETRO_CHECK_INTERVAL_MS: '300',
      KAFKA_GROUP_ID: `retro-names-${namesPrefix}`,
    };
    const namer = await ScreenerProcess.start(env);
    try {
      await namer.waitForLog('the first version re-screened', finished(namer, v1), 60_000);
      // The holder's name as the exchange keeps it: half-width katakana.
      const account = {
        id: `acct-${namesPrefix}`,
        residency: 'JP',
        kind: 'individual',
        name: 'ｲﾜﾉﾌ ﾐﾊｲﾙ',
      };
      const past = exchangeTransfer({ account });
      await produce(namesTopics.exchange, [{ key: account.id, value: json(past) }]);
      const id = String(past.eventId);
      await waitFor(
        'the live decision',
        () => namesDecisions.json<Decision>().some((d) => d.eventId === id),
        60_000,
      );
      expect(namesDecisions.json<Decision>().find((d) => d.eventId === id)?.decision).toBe('pass');

      // The update lists a person of that name (in Latin script).
      const listed = {
        ...excerpt,
        names: [
          ...(excerpt.names ?? []),
          {
            entityId: '99998',
            entityName: 'IVANOV, Mikhail',
            partyKind: 'individual' as const,
            name: 'IVANOV, Mikhail',
            nameType: 'primary' as const,
            lowQuality: false,
            programs: ['RUSSIA-EO14024'],
          },
        ],
      };
      const v2 = await publishList(testRedisUrl(), namesPrefix, listed);
      await namer.waitForLog('the new version re-screened', finished(namer, v2), 90_000);
      const retro = await waitFor(
        'the retroactive name alert',
        () => namesAlerts.json<Alert>().find((a) => a.eventId === id && a.retroactive),
        30_000,
      );
      expect(retro).toMatchObject({ ruleId: 'NAME_MATCH', retroactive: true });
      expect(retro.matches[0]).toMatchObject({ entityId: '99998', nameOf: 'account' });
      await waitFor(
        'the retroactive decision',
        () => namesDecisions.json<Decision>().some((d) => d.eventId === id && d.retroactive),
        30_000,
      );
    } finally {
      await namer.stop('SIGTERM');
      await namesAlerts.stop();
      await namesDecisions.stop();
      await deleteTopics(namesTopics);
      await dropPrefix(redis, namesPrefix);
    }
  });
});
