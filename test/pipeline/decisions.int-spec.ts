import type { Decision } from '@sekimori/contracts';
import { waitFor } from '../support/env';
import { exchangeTransfer, json, onchainTransfer } from '../support/fixtures';
import { produce } from '../support/kafka';
import { screenerFixture } from '../support/screener-fixture';

jest.setTimeout(180_000);

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const abroad = { walletType: 'hosted', vaspCountry: 'SG' };

describe.each(['at-least-once', 'exactly-once'])(
  'decisions.v1 on the real broker and Redis (%s)',
  (mode) => {
    const world = screenerFixture({ per: 'all' });
    let prefix: string;

    beforeAll(async () => {
      prefix = await world.prefixWithList();
    });

    it('gives every event of a mixed stream its decision, at the right level, keyed by eventId', async () => {
      const { topics } = world;
      const decisions = await world.collect(topics.decisions);
      const dlq = await world.collect(topics.deadLetters);
      await world.start(prefix, {
        REQUIRED_LISTS: 'ofac-sdn',
        DELIVERY_MODE: mode,
      });
      const account = { id: `acct-${prefix}`, residency: 'JP', kind: 'individual' };
      const expected: Array<[Record<string, unknown>, string, string | undefined]> = [
        [onchainTransfer(), 'pass', undefined],
        [onchainTransfer({ to: GARANTEX_ETH }), 'block', undefined],
        [exchangeTransfer(), 'pass', undefined],
        [exchangeTransfer({ valueJpy: '45000000', counterparty: abroad }), 'report', undefined],
        [
          exchangeTransfer({ account, valueJpy: '20000000', counterparty: abroad }),
          'pass',
          undefined,
        ],
        [
          exchangeTransfer({ account, valueJpy: '20000000', counterparty: abroad }),
          'review',
          undefined,
        ],
        [
          exchangeTransfer({ counterparty: { walletType: 'hosted', vaspCountry: 'RU' } }),
          'hold',
          undefined,
        ],
        [onchainTransfer({ to: '0x123' }), 'hold', 'INVALID_ADDRESS'],
        [onchainTransfer({ chain: 'dogecoin' }), 'hold', 'UNSUPPORTED_CHAIN'],
        [exchangeTransfer({ occurredAt: '2026-02-30T00:00:00Z' }), 'hold', 'SCHEMA_VIOLATION'],
      ];
      for (const [event] of expected) {
        const onchain = event.type === 'onchain-transfer';
        await produce(onchain ? topics.onchain : topics.exchange, [
          {
            key: onchain ? String(event.eventId) : (event.account as { id: string }).id,
            value: json(event),
          },
        ]);
      }
      // Bad input without a readable eventId: a dead letter, and no decision to wait for.
      await produce(topics.onchain, [{ key: 'no-id', value: Buffer.from('{"eventId": 7}') }]);
      await produce(topics.exchange, [{ key: 'not-json', value: Buffer.from('not json') }]);

      const ids = expected.map(([event]) => String(event.eventId));
      await waitFor(
        'a decision for every event with an eventId',
        () => {
          const seen = new Set(decisions.json<Decision>().map((d) => d.eventId));
          return ids.every((id) => seen.has(id));
        },
        60_000,
      );
      await dlq.waitForCount(5);
      const byId = new Map(
        decisions.messages.map((m) => [
          m.key,
          JSON.parse(m.value?.toString('utf8') ?? 'null') as Decision,
        ]),
      );
      for (const [event, decision, unscreenable] of expected) {
        expect({ eventId: event.eventId, ...byId.get(String(event.eventId)) }).toMatchObject({
          eventId: event.eventId,
          type: 'decision',
          decision,
          retroactive: false,
          ...(unscreenable ? { unscreenable, listVersion: '' } : {}),
        });
      }
      expect(byId.size).toBe(ids.length);
      expect(byId.get(String(expected[1][0].eventId))?.listVersion).toMatch(/^ofac-sdn:/);
    });
  },
);
