import type { Alert } from '@sekimori/contracts';
import { produce, type TopicCollector } from '../support/kafka';
import { exchangeTransfer, json, onchainTransfer } from '../support/fixtures';
import { waitFor } from '../support/env';
import { screenerFixture } from '../support/screener-fixture';
import type { ScreenerProcess } from '../support/screener-process';

jest.setTimeout(180_000);

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const GARANTEX_TRON = 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD';
const GARANTEX_BTC = '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1';
const GRINEX_TRON = 'TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep';
const SUEX_BTC = '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx';
const SUEX_BECH32 = 'bc1qdt3gml5z5n50y5hm04u2yjdphefkm0fl2zdj68';
const LAZARUS_ETH = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const CHATEX_XRP = 'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66';
const SOUTHFRONT_BCH = 'qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq';
// Recipients of the sender-side rows, used by no other event: a listed sender exposes its
// recipient (INDIRECT_EXPOSURE), and the clean rows below reuse the fixtures' default addresses;
// on partitions keyed by eventId whether a clean row came after the exposure would be chance.
const FRESH_ETH = '0x52908400098527886E0F7030069857D2E4169EE7';
const FRESH_BTC = '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2';

describe('screening pipeline on the real broker and Redis, with the real OFAC list', () => {
  const world = screenerFixture();
  let prefix: string;

  beforeAll(async () => {
    prefix = await world.prefixWithList();
  });

  async function startWith(
    env: Record<string, string> = {},
  ): Promise<{ alerts: TopicCollector; dlq: TopicCollector; screener: ScreenerProcess }> {
    const alerts = await world.collect(world.topics.alerts);
    const dlq = await world.collect(world.topics.deadLetters);
    const screener = await world.start(prefix, env);
    return { alerts, dlq, screener };
  }

  it('raises exactly one critical alert per listed address, in every legal spelling, and none for clean transfers', async () => {
    const { alerts, screener } = await startWith();
    const listed: Array<[Record<string, unknown>, RegExp, string]> = [
      [onchainTransfer({ to: GARANTEX_ETH }), /garantex/i, 'checksummed EVM'],
      [
        onchainTransfer({ to: GARANTEX_ETH.toLowerCase(), chain: 'bsc' }),
        /garantex/i,
        'lower-case EVM on another EVM chain',
      ],
      [
        onchainTransfer({ to: `0x${GARANTEX_ETH.slice(2).toUpperCase()}`, chain: 'polygon' }),
        /garantex/i,
        'upper-case EVM',
      ],
      [
        onchainTransfer({ from: [LAZARUS_ETH.toLowerCase()], to: FRESH_ETH, chain: 'arbitrum' }),
        /lazarus/i,
        'sender side',
      ],
      [
        onchainTransfer({
          chain: 'tron',
          asset: 'USDT',
          from: ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
          to: GARANTEX_TRON,
        }),
        /garantex/i,
        'tron',
      ],
      [
        onchainTransfer({
          chain: 'tron',
          asset: 'USDT',
          from: ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
          to: GRINEX_TRON,
        }),
        /grinex/i,
        'grinex tron',
      ],
      [
        onchainTransfer({
          chain: 'bitcoin',
          asset: 'BTC',
          from: [SUEX_BTC],
          to: FRESH_BTC,
        }),
        /suex/i,
        'base58 bitcoin',
      ],
      [
        onchainTransfer({
          chain: 'bitcoin',
          asset: 'BTC',
          from: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
          to: SUEX_BECH32.toUpperCase(),
        }),
        /suex/i,
        'upper-case bech32',
      ],
      [
        onchainTransfer({
          chain: 'ripple',
          asset: 'XRP',
          from: ['rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh'],
          to: CHATEX_XRP,
        }),
        /chatex/i,
        'ripple',
      ],
      [
        onchainTransfer({
          chain: 'bitcoin-cash',
          asset: 'BCH',
          from: ['bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a'],
          to: `bitcoincash:${SOUTHFRONT_BCH}`,
        }),
        /southfront/i,
        'cashaddr',
      ],
      [exchangeTransfer({ address: GARANTEX_BTC }), /garantex/i, 'exchange withdrawal'],
    ];
    const clean = [
      onchainTransfer(),
      onchainTransfer({
        chain: 'bitcoin',
        asset: 'BTC',
        from: ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
        to: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
      }),
      exchangeTransfer(),
      exchangeTransfer({ direction: 'deposit' }),
    ];
    await produce(
      world.topics.onchain,
      listed
        .filter(([e]) => e.type === 'onchain-transfer')
        .map(([e]) => ({ key: String(e.eventId), value: json(e) })),
    );
    await produce(
      world.topics.exchange,
      listed
        .filter(([e]) => e.type === 'exchange-transfer')
        .map(([e]) => ({ key: 'acct', value: json(e) })),
    );
    await produce(
      world.topics.onchain,
      clean
        .filter((e) => e.type === 'onchain-transfer')
        .map((e) => ({ key: String(e.eventId), value: json(e) })),
    );
    await produce(
      world.topics.exchange,
      clean
        .filter((e) => e.type === 'exchange-transfer')
        .map((e) => ({ key: 'acct', value: json(e) })),
    );

    await alerts.waitForCount(listed.length);
    // Give stragglers (a second alert for one event) a chance to show before counting exactly.
    await screener.waitForLog(
      'all events read',
      () => {
        const read = (
          screener.logs.filter((l) => l.msg === 'throughput').pop()?.totals as
            { events?: number } | undefined
        )?.events;
        return read !== undefined && read >= listed.length + clean.length;
      },
      20_000,
    );
    const got = alerts.json<Alert>();
    expect(got).toHaveLength(listed.length);
    for (const [event, entity, spelling] of listed) {
      const forEvent = got.filter((a) => a.eventId === event.eventId);
      expect({ spelling, count: forEvent.length }).toEqual({ spelling, count: 1 });
      const alert = forEvent[0];
      expect(alert).toMatchObject({
        type: 'alert',
        ruleId: 'SANCTIONS_ADDRESS_MATCH',
        severity: 'critical',
        action: 'block',
        retroactive: false,
      });
      expect(alert.matches.length).toBeGreaterThan(0);
      expect(alert.matches[0].entityName).toMatch(entity);
      expect(alert.matches[0].programs.length).toBeGreaterThan(0);
      expect(alert.matches[0].listId).toBe('ofac-sdn');
      expect(alert.listVersion).toContain('ofac-sdn');
      expect(alert.alertId).toMatch(/^[0-9a-f]{32}$/);
    }
    const alertKeys = alerts.messages.map((m) => m.key);
    expect(alertKeys).toEqual(got.map((a) => a.subjectKey));
    await waitFor('a log line per alert', () => screener.logsWith('alert').length >= listed.length);
    expect(screener.logsWith('alert')).toHaveLength(listed.length);
  });

  it('dead-letters every kind of bad message with its code while good messages behind it still flow', async () => {
    const { alerts, dlq, screener } = await startWith({ MAX_MESSAGE_BYTES: '4096' });
    const good1 = onchainTransfer({ to: GARANTEX_ETH });
    const good2 = onchainTransfer({ to: GARANTEX_ETH.toLowerCase() });
    const bad: Array<[string, Buffer]> = [
      ['INVALID_JSON', Buffer.from('{"type": "onchain-transfer",')],
      ['INVALID_JSON', Buffer.from([0xc3, 0x28, 0x7b, 0x7d])],
      ['SCHEMA_VIOLATION', json([good1])],
      ['SCHEMA_VIOLATION', json({ ...onchainTransfer(), amount: 12.5 })],
      ['SCHEMA_VIOLATION', json({ ...onchainTransfer(), __proto__: null, constructor: 'x' })],
      ['UNSUPPORTED_CHAIN', json(onchainTransfer({ chain: 'dogecoin' }))],
      [
        'INVALID_ADDRESS',
        json(onchainTransfer({ to: '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D8' })),
      ],
      [
        'INVALID_ADDRESS',
        json(onchainTransfer({ chain: 'bitcoin', to: '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh2' })),
      ],
      ['TOO_LARGE', json(onchainTransfer({ note: 'x'.repeat(5000) }))],
    ];
    // One key: everything lands on one partition, in this order, bad before and after good.
    await produce(world.topics.onchain, [
      ...bad.slice(0, 5).map(([, value]) => ({ key: 'same-key', value })),
      { key: 'same-key', value: json(good1) },
      ...bad.slice(5).map(([, value]) => ({ key: 'same-key', value })),
      { key: 'same-key', value: json(good2) },
    ]);
    const letters = await dlq.waitForCount(bad.length);
    await alerts.waitForCount(2);
    expect(letters.map((l) => l.headers['dlq-error-code'])).toEqual(bad.map(([code]) => code));
    letters.forEach((letter, i) => {
      expect(letter.value?.equals(bad[i][1])).toBe(true);
      expect(letter.key).toBe('same-key');
      expect(letter.headers['dlq-source-topic']).toBe(world.topics.onchain);
      expect(letter.headers['dlq-source-partition']).toMatch(/^\d+$/);
      expect(letter.headers['dlq-source-offset']).toMatch(/^\d+$/);
      expect(letter.headers['dlq-error-detail'].length).toBeGreaterThan(5);
    });
    expect(
      alerts
        .json<Alert>()
        .map((a) => a.eventId)
        .sort(),
    ).toEqual([good1.eventId, good2.eventId].sort());
    // Log lines are written once the batch is delivered, a moment after its records are readable.
    await waitFor(
      'a log line per dead letter',
      () => screener.logsWith('dead letter').length >= bad.length,
    );
    expect(screener.logsWith('dead letter')).toHaveLength(bad.length);
    expect(screener.running).toBe(true);
  });
});
