import { randomBytes } from 'node:crypto';
import type { Alert } from '@sekimori/contracts';
import { exchangeTransfer, onchainTransfer } from '../support/fixtures';
import { disconnectProducer } from '../support/kafka';
import { publishOneAddress, RulesHarness } from './harness';

jest.setTimeout(90_000);

afterAll(async () => {
  await disconnectProducer();
});

/** Lazarus Group's Ethereum address as the OFAC SDN list publishes it (Ronin bridge theft). */
const LAZARUS_ETH = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const DAY_MS = 86_400_000;

/** A fresh EVM address in lower case, so that no other test or run has exposed it. */
const freshEvm = (): string => `0x${randomBytes(20).toString('hex')}`;

/** A one-entry excerpt of the SDN list: the screener needs no 8-second load of the whole file. */
async function publishLazarus(h: RulesHarness): Promise<void> {
  await publishOneAddress(h.redis, h.prefix, {
    listId: 'ofac-sdn-excerpt',
    source: 'test/rules/indirect-exposure.int-spec.ts',
    issuedAt: '2025-11-19',
    address: LAZARUS_ETH,
    tag: 'ETH',
    entityId: 'lazarus-test',
    entityName: 'LAZARUS GROUP',
    programs: ['DPRK3'],
  });
}

const ruleIdsOf = (alerts: Alert[], event: Record<string, unknown>): string[] =>
  alerts.filter((a) => a.eventId === event.eventId).map((a) => a.ruleId);

describe('INDIRECT_EXPOSURE end to end on the real broker and Redis', () => {
  let h: RulesHarness;

  beforeEach(async () => {
    h = await new RulesHarness().setUp();
    await publishLazarus(h);
  });

  afterEach(async () => {
    await h.tearDown();
  });

  it('an address funded by Lazarus Group raises it once when it moves funds, also across topics and a restart', async () => {
    const first = await h.startScreener();
    const a = freshEvm();
    const b = freshEvm();
    // One asset, hence one key and one partition: the events are screened in this order, most
    // likely in one batch (exposure created and used within the batch).
    const funding = onchainTransfer({
      from: [LAZARUS_ETH],
      to: a,
      blockTime: '2026-03-15T09:30:00Z',
    });
    const onward = onchainTransfer({ from: [a], to: b, blockTime: '2026-03-15T10:00:00Z' });
    const unrelated = onchainTransfer({ from: [freshEvm()], to: freshEvm() });
    const fundedAgain = onchainTransfer({ from: [LAZARUS_ETH.toLowerCase()], to: a });
    await h.produce(h.topics.onchain, [funding, onward, unrelated, fundedAgain, funding]);
    const phase1 = await h.drained();

    expect(ruleIdsOf(phase1, funding)).toEqual([
      'SANCTIONS_ADDRESS_MATCH',
      'SANCTIONS_ADDRESS_MATCH',
    ]);
    expect(ruleIdsOf(phase1, fundedAgain)).toEqual(['SANCTIONS_ADDRESS_MATCH']);
    expect(ruleIdsOf(phase1, unrelated)).toEqual([]);
    expect(ruleIdsOf(phase1, onward)).toEqual(['INDIRECT_EXPOSURE']);
    expect(phase1).toHaveLength(4);

    const alert = phase1.find((x) => x.ruleId === 'INDIRECT_EXPOSURE')!;
    expect(alert).toMatchObject({
      severity: 'high',
      action: 'review',
      eventId: onward.eventId,
      eventType: 'onchain-transfer',
      subjectKey: b,
      retroactive: false,
    });
    expect(alert.matches).toHaveLength(1);
    expect(alert.matches[0]).toMatchObject({
      listId: 'ofac-sdn-excerpt',
      entityId: 'lazarus-test',
      entityName: 'LAZARUS GROUP',
      programs: ['DPRK3'],
      chain: 'ethereum',
      side: 'from',
    });
    expect(alert.matches[0].address.toLowerCase()).toBe(a);
    expect(alert.reasons).toHaveLength(1);
    expect(alert.reasons[0]).toContain(
      `in transfer ${String(funding.eventId)} at 2026-03-15T09:30:00Z`,
    );
    expect(alert.reasons[0].toLowerCase()).toContain(
      `lazarus group's address ${LAZARUS_ETH.toLowerCase()}`,
    );
    expect(alert.legalBasis.join(' ')).toMatch(/14 March 2022.*FATF/s);

    // The record is shared state in Redis with the configured lifetime (90 days by default).
    const key = h.keys.exposurePaths(`evm:${a}`);
    // One one-hop path per funding transfer (the redelivery adds none).
    const paths = Object.values(await h.redis.hgetall(key)).map(
      (v) => (JSON.parse(v) as { hops: Array<{ eventId: string }> }).hops,
    );
    expect(paths.map((hops) => hops.map((x) => x.eventId)).sort()).toEqual(
      [[funding.eventId], [fundedAgain.eventId]].sort(),
    );
    expect(await h.redis.pttl(key)).toBeGreaterThan(89 * DAY_MS);

    // A new screener process knows the exposure: a withdrawal on the exchange topic to A, spelt
    // in upper case on another EVM chain, raises it; a clean withdrawal raises nothing.
    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await h.startScreener();
    const withdrawal = exchangeTransfer({
      chain: 'bsc',
      asset: 'BNB',
      address: `0x${a.slice(2).toUpperCase()}`,
    });
    const clean = exchangeTransfer({ chain: 'bsc', asset: 'BNB', address: freshEvm() });
    await h.produce(h.topics.exchange, [withdrawal, clean]);
    const all = await h.drained();

    const phase2 = all.filter((x) => !phase1.some((p) => p.alertId === x.alertId));
    expect(phase2.map((x) => [x.eventId, x.ruleId])).toEqual([
      [withdrawal.eventId, 'INDIRECT_EXPOSURE'],
    ]);
    expect(phase2[0].matches[0]).toMatchObject({ chain: 'bsc', side: 'address' });
    expect(phase2[0].matches[0].address.toLowerCase()).toBe(a);
    expect(phase2[0].reasons[0]).toContain(`in transfer ${String(funding.eventId)}`);
    expect(second.logsWith('alert')).toHaveLength(1);
  });
});
