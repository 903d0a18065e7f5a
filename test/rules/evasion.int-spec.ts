import { randomBytes } from 'node:crypto';
import type { Alert, Decision } from '@sekimori/contracts';
import { exchangeTransfer, onchainTransfer } from '../support/fixtures';
import { disconnectProducer, TopicCollector } from '../support/kafka';
import { waitFor } from '../support/env';
import { publishOneAddress, RulesHarness } from './harness';

jest.setTimeout(120_000);

afterAll(async () => {
  await disconnectProducer();
});

/** Garantex Europe OU's Ethereum address as the OFAC SDN list publishes it (entity 36025). */
const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';

const freshEvm = (): string => `0x${randomBytes(20).toString('hex')}`;

/** A one-entry excerpt of the SDN list (data/sanctions/ofac/digital-currency-addresses-*.csv). */
function publishGarantex(h: RulesHarness): Promise<string> {
  return publishOneAddress(h.redis, h.prefix, {
    listId: 'ofac-sdn-excerpt',
    source: 'test/rules/evasion.int-spec.ts',
    issuedAt: '2025-11-19',
    address: GARANTEX_ETH,
    tag: 'ETH',
    entityId: '36025',
    entityName: 'GARANTEX EUROPE OU',
    programs: ['CYBER4', 'RUSSIA-EO14024'],
  });
}

const rulesOf = (alerts: Alert[], event: Record<string, unknown>): string[] =>
  alerts
    .filter((a) => a.eventId === event.eventId)
    .map((a) => a.ruleId)
    .sort();

describe('Evasion typologies end to end on the real broker and Redis', () => {
  let h: RulesHarness;
  let decisions: TopicCollector;

  beforeEach(async () => {
    h = await new RulesHarness().setUp();
    await publishGarantex(h);
    decisions = await new TopicCollector(h.topics.decisions).start();
  });

  afterEach(async () => {
    await decisions.stop();
    await h.tearDown();
  });

  const decisionOf = async (event: Record<string, unknown>): Promise<Decision> => {
    let found: Decision | undefined;
    await waitFor(
      `the decision on ${String(event.eventId)}`,
      () => {
        found = decisions.json<Decision>().find((d) => d.eventId === event.eventId);
        return Promise.resolve(found !== undefined);
      },
      30_000,
      100,
    );
    return found!;
  };

  it('Garantex → A → B → deposit → withdrawal to Singapore: INDIRECT_EXPOSURE on the deposit with its two-hop path, THIRD_COUNTRY_ROUTING on the withdrawal', async () => {
    await h.startScreener();
    const a = freshEvm();
    const b = freshEvm();
    const account = {
      id: `acct-evasion-${randomBytes(4).toString('hex')}`,
      residency: 'JP',
      kind: 'individual',
    };
    const g2a = onchainTransfer({
      from: [GARANTEX_ETH],
      to: a,
      amount: '10',
      valueJpy: '5000000',
      blockTime: '2026-03-15T08:00:00Z',
    });
    const a2b = onchainTransfer({
      from: [a],
      to: b,
      amount: '9.5',
      valueJpy: '4750000',
      blockTime: '2026-03-15T09:00:00Z',
    });
    const deposit = exchangeTransfer({
      direction: 'deposit',
      occurredAt: '2026-03-15T10:00:00Z',
      account,
      chain: 'ethereum',
      asset: 'ETH',
      amount: '9.5',
      valueJpy: '4750000',
      address: b,
      counterparty: { walletType: 'unhosted' },
    });
    const withdrawal = exchangeTransfer({
      direction: 'withdrawal',
      occurredAt: '2026-03-16T08:00:00Z',
      account,
      chain: 'ethereum',
      asset: 'ETH',
      amount: '9',
      valueJpy: '4500000',
      address: freshEvm(),
      counterparty: {
        walletType: 'hosted',
        vaspId: 'sg-vasp-1',
        vaspName: 'Lion City Exchange',
        vaspCountry: 'SG',
      },
    });
    // Each hop on another partition and the last two on the exchange topic: the events are
    // produced one after the other, each once the previous one is decided, as a chain is mined.
    await h.produce(h.topics.onchain, [g2a], 0);
    await decisionOf(g2a);
    await h.produce(h.topics.onchain, [a2b], 1);
    await decisionOf(a2b);
    await h.produce(h.topics.exchange, [deposit], 2);
    await decisionOf(deposit);
    await h.produce(h.topics.exchange, [withdrawal], 0);
    await decisionOf(withdrawal);
    const alerts = await h.drained();

    expect(rulesOf(alerts, g2a)).toEqual(['SANCTIONS_ADDRESS_MATCH']);
    expect(rulesOf(alerts, a2b)).toEqual(['INDIRECT_EXPOSURE']);
    expect(rulesOf(alerts, deposit)).toEqual(['INDIRECT_EXPOSURE']);
    expect(rulesOf(alerts, withdrawal)).toEqual(['INDIRECT_EXPOSURE', 'THIRD_COUNTRY_ROUTING']);

    const onDeposit = alerts.find((x) => x.eventId === deposit.eventId)!;
    expect(onDeposit.exposurePaths).toHaveLength(1);
    const [node] = onDeposit.exposurePaths!;
    expect(node).toMatchObject({ side: 'address', chain: 'ethereum' });
    expect(node.address.toLowerCase()).toBe(b);
    expect(node.path.source).toMatchObject({ entityId: '36025', entityName: 'GARANTEX EUROPE OU' });
    expect(node.path.hops.map((x) => x.eventId)).toEqual([g2a.eventId, a2b.eventId]);
    expect(node.path.hops.map((x) => [x.amount, x.valueJpy, x.at])).toEqual([
      ['10', '5000000', '2026-03-15T08:00:00Z'],
      ['9.5', '4750000', '2026-03-15T09:00:00Z'],
    ]);
    expect(onDeposit.reasons[0]).toContain('received funds 2 hops from GARANTEX EUROPE OU');

    const routing = alerts.find(
      (x) => x.eventId === withdrawal.eventId && x.ruleId === 'THIRD_COUNTRY_ROUTING',
    )!;
    expect(routing).toMatchObject({ severity: 'high', action: 'hold', subjectKey: account.id });
    const text = routing.reasons.join(' ');
    expect(text).toContain(`deposit ${String(deposit.eventId)} of 9.5 ETH (¥4,750,000)`);
    expect(text).toContain('2 hops from GARANTEX EUROPE OU');
    expect(text).toContain(`withdrawal ${String(withdrawal.eventId)} of 9 ETH (¥4,500,000)`);
    expect(text).toContain('to Lion City Exchange in SG');
    expect(text).toContain('94.7% passed through');
    expect(routing.legalBasis.join(' ')).toMatch(/FIN-2022-Alert001.*28 June 2022.*FATF/s);

    expect((await decisionOf(deposit)).decision).toBe('review');
    expect((await decisionOf(withdrawal)).decision).toBe('hold');
    expect((await decisionOf(g2a)).decision).toBe('block');

    // A redelivery of the withdrawal raises the same alerts, with the same ids, and no other.
    await h.produce(h.topics.exchange, [withdrawal], 1);
    const again = await h.drained();
    const repeated = again.filter((x) => x.eventId === withdrawal.eventId);
    expect(new Set(repeated.map((x) => x.alertId)).size).toBe(2);
    expect(again.filter((x) => x.eventId !== withdrawal.eventId)).toHaveLength(
      alerts.filter((x) => x.eventId !== withdrawal.eventId).length,
    );
  });

  it('out of order across topics: the withdrawal screened before the deposit it follows; the deposit then raises THIRD_COUNTRY_ROUTING', async () => {
    await h.startScreener();
    const account = {
      id: `acct-late-${randomBytes(4).toString('hex')}`,
      residency: 'JP',
      kind: 'individual',
    };
    const withdrawal = exchangeTransfer({
      occurredAt: '2026-03-16T08:00:00Z',
      account,
      valueJpy: '9000000',
      counterparty: {
        walletType: 'hosted',
        vaspId: 'ae-1',
        vaspName: 'Gulf Exchange',
        vaspCountry: 'AE',
      },
    });
    const deposit = exchangeTransfer({
      direction: 'deposit',
      occurredAt: '2026-03-15T08:00:00Z',
      account,
      valueJpy: '10000000',
      counterparty: {
        walletType: 'hosted',
        vaspId: 'ru-1',
        vaspName: 'Moscow Exchange',
        vaspCountry: 'RU',
      },
    });
    await h.produce(h.topics.exchange, [withdrawal], 1);
    await decisionOf(withdrawal);
    await h.produce(h.topics.exchange, [deposit], 2);
    await decisionOf(deposit);
    const alerts = await h.drained();
    expect(rulesOf(alerts, withdrawal)).toEqual([]);
    expect(rulesOf(alerts, deposit)).toEqual(['RESTRICTED_JURISDICTION', 'THIRD_COUNTRY_ROUTING']);
    const routing = alerts.find((x) => x.ruleId === 'THIRD_COUNTRY_ROUTING')!;
    expect(routing.reasons.join(' ')).toContain('screened after the withdrawals it precedes');
    expect((await decisionOf(deposit)).decision).toBe('hold');
  });
});
