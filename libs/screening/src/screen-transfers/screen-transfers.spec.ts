import { ScreeningUnavailableError } from '@sekimori/contracts';
import { defaultRules, RuleEngine, validateRulesConfig } from '@sekimori/rules';
import { InMemoryStores } from '../__fixtures__/in-memory-stores';
import { ScreenTransfers } from './screen-transfers';
import type { ListHit } from './screening-stores.port';
import { decodeTransfer, type ScreenableTransfer } from './transfer-decoder';

const GARANTEX_ETH = '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9';
const LAZARUS_ETH = '0x098B716B8Aaf21512996dC57EB0615e2383E2f96';
const FRESH_ETH = '0x52908400098527886E0F7030069857D2E4169EE7';
const CLOCK = new Date('2026-03-15T10:00:00Z');

let seq = 0;

function transfer(event: Record<string, unknown>): ScreenableTransfer {
  const decoded = decodeTransfer(
    Buffer.from(JSON.stringify(event)),
    event.type as 'onchain-transfer' | 'exchange-transfer',
    65_536,
  );
  if (!decoded.ok) throw new Error(`fixture does not decode: ${decoded.detail}`);
  return decoded;
}

function onchain(patch: Record<string, unknown> = {}): ScreenableTransfer {
  seq += 1;
  return transfer({
    type: 'onchain-transfer',
    eventId: `oc-${seq}`,
    chain: 'ethereum',
    txHash: '0xabc',
    index: 0,
    blockTime: '2026-03-15T09:30:00Z',
    from: ['0x00000000219ab540356cbb839cbe05303d7705fa'],
    to: '0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
    asset: 'ETH',
    amount: '1',
    ...patch,
  });
}

function exchange(patch: Record<string, unknown> = {}): ScreenableTransfer {
  seq += 1;
  return transfer({
    type: 'exchange-transfer',
    eventId: `ex-${seq}`,
    exchangeId: 'jp-exchange-1',
    direction: 'withdrawal',
    occurredAt: '2026-03-15T09:30:00Z',
    account: { id: 'acct-1', residency: 'JP', kind: 'individual' },
    chain: 'bitcoin',
    asset: 'BTC',
    amount: '0.1',
    valueJpy: '1500000',
    address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    counterparty: { walletType: 'hosted', vaspCountry: 'JP', residency: 'JP' },
    ...patch,
  });
}

const abroad = { walletType: 'hosted', vaspCountry: 'SG' };

function listed(address: string, entityName: string): [string, ListHit[]] {
  const key = `evm:${address.toLowerCase()}`;
  return [
    key,
    [
      {
        key,
        chain: 'ethereum',
        address: address.toLowerCase(),
        entityId: entityName.length.toString(),
        entityName,
        programs: ['CYBER4'],
        tag: 'ETH',
        listId: 'ofac-sdn',
        listVersion: 'v1',
      },
    ],
  ];
}

function setUp(): { stores: InMemoryStores; screening: ScreenTransfers } {
  const stores = new InMemoryStores();
  stores.listed.set(...listed(GARANTEX_ETH, 'GARANTEX EUROPE OU'));
  stores.listed.set(...listed(LAZARUS_ETH, 'LAZARUS GROUP'));
  stores.latestRates.set('BTC', '15000000');
  const engine = new RuleEngine(defaultRules(), validateRulesConfig({}));
  return { stores, screening: new ScreenTransfers(stores.asStores(), engine, () => CLOCK) };
}

describe('ScreenTransfers (the use case, on in-memory stores)', () => {
  it.each([
    [
      'a transfer to a listed address',
      () => onchain({ to: GARANTEX_ETH }),
      'block',
      ['SANCTIONS_ADDRESS_MATCH'],
    ],
    ['a clean on-chain transfer', () => onchain(), 'pass', []],
    ['a domestic withdrawal', () => exchange(), 'pass', []],
    [
      'a ¥45M withdrawal abroad',
      () => exchange({ valueJpy: '45000000', counterparty: abroad }),
      'report',
      ['FEFTA_PAYMENT_REPORT'],
    ],
    [
      'a withdrawal to a Russian VASP',
      () => exchange({ counterparty: { walletType: 'hosted', vaspCountry: 'RU' } }),
      'hold',
      ['RESTRICTED_JURISDICTION'],
    ],
    [
      'an unvalued cross-border withdrawal with no rate',
      () => exchange({ asset: 'XYZ', valueJpy: undefined, counterparty: abroad }),
      'review',
      ['VALUATION_MISSING'],
    ],
  ])('%s', async (_what, make, decision, ruleIds) => {
    const { screening } = setUp();
    const [screened] = await screening.screen([make()], 'record');
    expect(screened.decision).toMatchObject({
      type: 'decision',
      decision,
      ruleIds,
      retroactive: false,
    });
    expect(screened.decision.alertIds).toEqual(screened.alerts.map((a) => a.alertId));
    expect(screened.decision.screenedAt).toBe(CLOCK.toISOString());
    expect(screened.decision.listVersion).toBe('ofac-sdn:v1');
  });

  it('the most severe action decides: a listed address abroad over the threshold blocks', async () => {
    const { screening } = setUp();
    const [screened] = await screening.screen(
      [
        exchange({
          chain: 'ethereum',
          asset: 'USDT',
          address: GARANTEX_ETH,
          valueJpy: '45000000',
          counterparty: { walletType: 'hosted', vaspCountry: 'RU' },
        }),
      ],
      'record',
    );
    expect(screened.decision.decision).toBe('block');
    expect(screened.decision.ruleIds.sort()).toEqual([
      'FEFTA_PAYMENT_REPORT',
      'RESTRICTED_JURISDICTION',
      'SANCTIONS_ADDRESS_MATCH',
    ]);
  });

  it('builds each context complete: valuation, verdict, structuring and exposures are there when the rules run', async () => {
    const { screening } = setUp();
    const first = exchange({ valueJpy: '20000000', counterparty: abroad });
    const second = exchange({ valueJpy: '20000000', counterparty: abroad });
    const [a, b] = await screening.screen([first, second], 'record');
    expect(a.context.structuring).toEqual({
      windowSumBeforeJpy: '0',
      windowSumAfterJpy: '20000000',
      windowDays: 7,
    });
    expect(b.context.structuring?.windowSumAfterJpy).toBe('40000000');
    expect(b.decision).toMatchObject({ decision: 'review', ruleIds: ['STRUCTURING'] });
    expect(a.context.verdict.crossBorder).toBe(true);
    expect(a.context.valuation).toMatchObject({ valueJpy: '20000000', source: 'event' });
  });

  it('records what the stream learns, and a redelivery decides the same way', async () => {
    const { stores, screening } = setUp();
    const funding = onchain({ from: [LAZARUS_ETH], to: FRESH_ETH });
    const onward = onchain({ from: [FRESH_ETH] });
    const unvalued = exchange({ valueJpy: undefined, counterparty: abroad });
    const first = await screening.screen([funding, onward, unvalued], 'record');
    expect(stores.writes.sort()).toEqual([
      // The funding exposes FRESH (one hop); the onward transfer carries it one hop further.
      `exposure evm:${FRESH_ETH.toLowerCase()}`,
      'exposure evm:0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae',
      `pin ${unvalued.event.eventId}`,
      // A withdrawal to a foreign VASP is logged for THIRD_COUNTRY_ROUTING.
      `routing ${unvalued.event.eventId}`,
      `window ${unvalued.event.eventId}`,
    ]);
    // The onward transfer, in the same batch, already sees the exposure the funding created.
    expect(first[1].decision.ruleIds).toEqual(['INDIRECT_EXPOSURE']);
    stores.latestRates.set('BTC', '99000000');
    const again = await screening.screen([funding, onward, unvalued], 'record');
    expect(again.map((s) => s.decision)).toEqual(first.map((s) => s.decision));
    expect(again[2].context.valuation.valueJpy).toBe(first[2].context.valuation.valueJpy);
  });

  it('a preview writes nothing and answers what the window would hold with the transfer included', async () => {
    const { stores, screening } = setUp();
    await screening.screen([exchange({ valueJpy: '20000000', counterparty: abroad })], 'record');
    const writes = stores.writes.length;
    const candidate = exchange({ valueJpy: '20000000', counterparty: abroad });
    const [preview] = await screening.screen(
      [
        candidate,
        onchain({ from: [LAZARUS_ETH], to: FRESH_ETH }),
        exchange({ valueJpy: undefined, counterparty: abroad }),
      ],
      'preview',
    );
    expect(stores.writes.length).toBe(writes);
    expect(stores.exposed.size).toBe(0);
    expect(preview.context.structuring?.windowSumAfterJpy).toBe('40000000');
    expect(preview.decision).toMatchObject({ decision: 'review', ruleIds: ['STRUCTURING'] });
    // Previewing again answers the same: nothing was counted.
    const [repeat] = await screening.screen([candidate], 'preview');
    expect(repeat.decision.alertIds).toEqual(preview.decision.alertIds);
  });

  it('a preview of an event the stream has screened answers as the stream did', async () => {
    const { stores, screening } = setUp();
    const unvalued = exchange({ valueJpy: undefined, counterparty: abroad });
    const [streamed] = await screening.screen([unvalued], 'record');
    stores.latestRates.set('BTC', '99000000');
    const [previewed] = await screening.screen([unvalued], 'preview');
    expect(previewed.context.valuation).toEqual(streamed.context.valuation);
    expect(previewed.decision.decision).toBe(streamed.decision.decision);
  });

  it('fails closed: a store that cannot answer throws, and nothing is decided', async () => {
    const { stores, screening } = setUp();
    stores.down = true;
    await expect(screening.screen([onchain()], 'record')).rejects.toBeInstanceOf(
      ScreeningUnavailableError,
    );
    await expect(screening.screen([onchain()], 'preview')).rejects.toBeInstanceOf(
      ScreeningUnavailableError,
    );
  });

  it('an empty batch asks no store', async () => {
    const { stores, screening } = setUp();
    stores.down = true;
    await expect(screening.screen([], 'record')).resolves.toEqual([]);
  });
});
