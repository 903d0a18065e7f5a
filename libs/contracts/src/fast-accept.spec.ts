import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { ExchangeTransfer } from './exchange-transfer';
import { acceptFast } from './fast-accept';
import { OnchainTransfer } from './onchain-transfer';
import { Rate } from './rate';
import { VALID_EXCHANGE, VALID_ONCHAIN } from './__fixtures__/events';

// The fast path may only accept what the decorated classes accept, and must then build the same
// instance. Checked here against class-validator itself on generated near-valid events.
const SEED = 20260316;
type Kind = 'onchain-transfer' | 'exchange-transfer' | 'rate';
const CLASSES = {
  'onchain-transfer': OnchainTransfer,
  'exchange-transfer': ExchangeTransfer,
  rate: Rate,
};

/** The decorated classes' verdict, exactly as decodeInput's slow path reaches it. */
function slow(kind: Kind, plain: object): object | null {
  const instance = plainToInstance(CLASSES[kind] as new () => object, plain);
  const errors = validateSync(instance, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return errors.length === 0 ? instance : null;
}

const onchain = {
  ...VALID_ONCHAIN,
  eventId: 'oc-1',
  index: 3,
  from: ['0x0000000000000000000000000000000000000001', '0xAbC'],
  valueJpy: '150000',
  observer: { exchangeId: 'jp-exchange-1', side: 'sender' },
};

const exchange = {
  ...VALID_EXCHANGE,
  account: { ...VALID_EXCHANGE.account, name: '山田太郎', nameKana: 'ヤマダ タロウ' },
  counterparty: {
    walletType: 'hosted',
    vaspId: 'sg-1',
    vaspName: 'Lion',
    vaspCountry: 'SG',
    name: 'A. Person',
    nameKana: 'ﾀﾝ ｳｪｲﾐﾝ',
    residency: 'SG',
    accountId: 'x-9',
  },
  ipCountry: 'JP',
};

const rate = { type: 'rate', asset: 'BTC', jpy: '15234000', at: '2026-03-15T09:30:00Z' };

const BASES: Array<[Kind, Record<string, unknown>]> = [
  ['onchain-transfer', onchain],
  ['exchange-transfer', exchange],
  ['exchange-transfer', { ...exchange, direction: 'internal', address: undefined }],
  ['rate', rate],
];

/** Values that sit on the edges of the rules: empty, too long, wrong case, look-alike numbers. */
const tricky = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(
    '',
    ' ',
    'JP',
    'jp',
    'JPN',
    'J',
    'sender',
    'receiver',
    'Sender',
    'hosted',
    'internal',
    'deposit',
    'individual',
    'corporate',
    '0',
    '0.0',
    '1',
    '1.5',
    '01',
    '-1',
    '1e3',
    '2026-03-15T09:30:00Z',
    '2026-02-30T09:30:00Z',
    '2026-02-29T09:30:00Z',
    '2024-02-29T09:30:00Z',
    '1900-02-29T09:30:00Z',
    '2026-04-31T09:30:00+09:00',
    '2026-03-15T24:00:00Z',
    '2026-03-15T09:60:00Z',
    '2016-12-31T23:59:60Z',
    '2026-13-01T09:30:00Z',
    '2026-03-15T09:30:00',
    'ヤマダ',
    'ﾔﾏﾀﾞ',
    'やまだ',
    'ー',
    'XX',
    'ZZ',
    'AA',
    'XK',
    'xk',
    'TW',
    'UK',
    'EU',
    '\uFE0F',
    'a\uFE0F',
    '\uD83D\uDE00'.repeat(101),
    'a'.repeat(20),
    'a'.repeat(21),
    'a'.repeat(40),
    'a'.repeat(41),
    'a'.repeat(128),
    'a'.repeat(129),
    'a'.repeat(200),
    'a'.repeat(201),
    'a'.repeat(300),
    'a'.repeat(301),
    null,
    0,
    -0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    true,
    [],
    {},
    [{ exchangeId: 'x', side: 'sender' }],
    ['a'],
    Array.from({ length: 101 }, () => 'a'),
  ),
);

const NESTED = ['account', 'counterparty', 'observer'];
const EXTRA_KEYS = [
  'travelRule',
  'extra',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'note',
];

type Mutation = { nested: string | null; key: string; value: unknown; remove: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  nested: fc.option(fc.constantFrom(...NESTED), { nil: null }),
  key: fc.oneof(
    fc.constantFrom(
      ...new Set([
        ...Object.keys(onchain),
        ...Object.keys(exchange),
        ...Object.keys(rate),
        ...Object.keys(exchange.account),
        ...Object.keys(exchange.counterparty),
        ...Object.keys(onchain.observer),
        ...EXTRA_KEYS,
      ]),
    ),
    fc.string({ maxLength: 6 }),
  ),
  value: tricky,
  remove: fc.boolean(),
});

function apply(base: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  // Through JSON, as the decoder sees it: `undefined` fields vanish.
  const value = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const m of mutations) {
    let target: Record<string, unknown> = value;
    if (m.nested !== null) {
      const inner = value[m.nested];
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) continue;
      target = inner as Record<string, unknown>;
    }
    if (['__proto__', 'constructor', 'prototype'].includes(m.key)) continue; // rejected earlier
    if (m.remove) delete target[m.key];
    else target[m.key] = m.value;
  }
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

describe('acceptFast against the decorated classes', () => {
  it.each(BASES)('accepts the valid %s event and builds the same instance', (kind, base) => {
    const plain = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const fast = acceptFast(kind, plain);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(slow(kind, plain));
  });

  it('accepts only what class-validator accepts, and then builds an equal instance', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...BASES),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        ([kind, base], mutations) => {
          const plain = apply(base, mutations);
          const fast = acceptFast(kind, plain);
          if (fast === null) return true;
          accepted += 1;
          expect(fast).toStrictEqual(slow(kind, plain));
          return true;
        },
      ),
      { seed: SEED, numRuns: 20_000 },
    );
    // The generator must reach the accepting side often enough to mean something.
    expect(accepted).toBeGreaterThan(2_000);
  });

  it('leaves unusual shapes to the slow path', () => {
    const cases: Array<[Kind, Record<string, unknown>]> = [
      ['onchain-transfer', { ...onchain, observer: [{ exchangeId: 'x', side: 'sender' }] }],
      ['onchain-transfer', { ...onchain, extra: { nested: true } }],
      ['exchange-transfer', { ...exchange, account: { ...exchange.account, toString: 'x' } }],
      ['rate', { ...rate, valueOf: 1 }],
    ];
    for (const [kind, plain] of cases) expect(acceptFast(kind, plain)).toBeNull();
  });
});
