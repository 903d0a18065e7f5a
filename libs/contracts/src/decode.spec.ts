import { decodeInput } from './decode';
import { bytes, VALID_EXCHANGE, VALID_ONCHAIN } from './__fixtures__/events';

const onchain = VALID_ONCHAIN;

const exchange = VALID_EXCHANGE;

describe('decodeInput', () => {
  it('accepts a valid on-chain transfer', () => {
    const result = decodeInput(bytes(onchain), 'onchain-transfer');
    expect(result).toMatchObject({ ok: true, value: { eventId: 'evt-1', amount: '1000.5' } });
  });

  it('accepts a valid exchange transfer and an internal one without address', () => {
    expect(decodeInput(bytes(exchange), 'exchange-transfer').ok).toBe(true);
    const internal = { ...exchange, direction: 'internal', address: undefined };
    expect(decodeInput(bytes(internal), 'exchange-transfer').ok).toBe(true);
  });

  it('accepts a valid rate', () => {
    const rate = { type: 'rate', asset: 'BTC', jpy: '15234000', at: '2026-03-15T09:30:00Z' };
    expect(decodeInput(bytes(rate), 'rate').ok).toBe(true);
  });

  it.each<[string, Buffer | null, string, RegExp]>([
    ['a null value', null, 'EMPTY_VALUE', /tombstone/],
    ['an empty value', Buffer.alloc(0), 'INVALID_JSON', /empty/],
    ['text that is not JSON', Buffer.from('hello'), 'INVALID_JSON', /not JSON/],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'INVALID_JSON', /UTF-8/],
    ['a JSON array', bytes([onchain]), 'SCHEMA_VIOLATION', /array/],
    ['a JSON string', bytes('x'), 'SCHEMA_VIOLATION', /string/],
    ['JSON null', Buffer.from('null'), 'SCHEMA_VIOLATION', /null/],
    [
      'a message over the size limit',
      bytes({ ...onchain, pad: 'x'.repeat(70_000) }),
      'TOO_LARGE',
      /limit/,
    ],
    ['another type', bytes({ ...onchain, type: 'rate' }), 'SCHEMA_VIOLATION', /type must be/],
    ['no type', bytes({ ...onchain, type: undefined }), 'SCHEMA_VIOLATION', /no type/],
    ['a float amount', bytes({ ...onchain, amount: 1000.5 }), 'SCHEMA_VIOLATION', /amount/],
    ['a negative amount', bytes({ ...onchain, amount: '-1' }), 'SCHEMA_VIOLATION', /amount/],
    ['a zero amount', bytes({ ...onchain, amount: '0.000' }), 'SCHEMA_VIOLATION', /amount/],
    ['an exponent amount', bytes({ ...onchain, amount: '1e6' }), 'SCHEMA_VIOLATION', /amount/],
    [
      'a time without zone',
      bytes({ ...onchain, blockTime: '2026-03-15T09:30:00' }),
      'SCHEMA_VIOLATION',
      /blockTime/,
    ],
    ['an empty from', bytes({ ...onchain, from: [] }), 'SCHEMA_VIOLATION', /from/],
    [
      'too many from',
      bytes({ ...onchain, from: Array(101).fill(onchain.to) }),
      'SCHEMA_VIOLATION',
      /from/,
    ],
    ['a negative index', bytes({ ...onchain, index: -1 }), 'SCHEMA_VIOLATION', /index/],
    ['an empty eventId', bytes({ ...onchain, eventId: '' }), 'SCHEMA_VIOLATION', /eventId/],
    [
      'a bad observer side',
      bytes({ ...onchain, observer: { exchangeId: 'x', side: 'both' } }),
      'SCHEMA_VIOLATION',
      /side/,
    ],
    [
      'a __proto__ key',
      Buffer.from(JSON.stringify(onchain).replace('{', '{"__proto__":{"x":1},')),
      'SCHEMA_VIOLATION',
      /__proto__/,
    ],
    [
      'a constructor key',
      bytes({ ...onchain, constructor: { prototype: 1 } }),
      'SCHEMA_VIOLATION',
      /constructor/,
    ],
  ])('dead-letters %s', (_what, raw, code, detail) => {
    const result = decodeInput(raw, 'onchain-transfer');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(code);
    expect(result.detail).toMatch(detail);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a lower-case residency', { account: { ...exchange.account, residency: 'jp' } }, /residency/],
    ['an unknown direction', { direction: 'sideways' }, /direction/],
    ['a withdrawal without address', { address: undefined }, /address/],
    ['no counterparty', { counterparty: undefined }, /counterparty/],
    ['an unknown wallet type', { counterparty: { walletType: 'cold' } }, /walletType/],
    ['a numeric valueJpy', { valueJpy: 7500000 }, /valueJpy/],
    ['a three-letter ipCountry', { ipCountry: 'JPN' }, /ipCountry/],
  ])('dead-letters an exchange transfer with %s', (_what, patch, detail) => {
    const result = decodeInput(bytes({ ...exchange, ...patch }), 'exchange-transfer');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toMatch(detail);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['30 February', { occurredAt: '2026-02-30T00:00:00Z' }, 'occurredAt'],
    ['29 February of 2026', { occurredAt: '2026-02-29T09:00:00+09:00' }, 'occurredAt'],
    ['31 April', { occurredAt: '2026-04-31T00:00:00Z' }, 'occurredAt'],
    ['24:00', { occurredAt: '2026-03-15T24:00:00Z' }, 'occurredAt'],
    ['a leap second', { occurredAt: '2016-12-31T23:59:60Z' }, 'occurredAt'],
    ['residency XX', { account: { ...exchange.account, residency: 'XX' } }, 'account.residency'],
    [
      'vaspCountry ZZ',
      { counterparty: { walletType: 'hosted', vaspCountry: 'ZZ' } },
      'counterparty.vaspCountry',
    ],
    [
      'counterparty residency AA',
      { counterparty: { walletType: 'unhosted', residency: 'AA' } },
      'counterparty.residency',
    ],
    ['ipCountry in lower case', { ipCountry: 'sg' }, 'ipCountry'],
  ])('dead-letters an exchange transfer with %s, naming the field', (_what, patch, field) => {
    const result = decodeInput(bytes({ ...exchange, ...patch }), 'exchange-transfer');
    expect(result).toMatchObject({ ok: false, code: 'SCHEMA_VIOLATION', fields: [field] });
    if (!result.ok) expect(result.detail).toContain(field);
  });

  it.each([
    ['2024-02-29T00:00:00Z', 'XK'],
    ['2026-04-30T23:59:59+09:00', 'TW'],
  ])('accepts %s and the country %s', (occurredAt, country) => {
    const plain = { ...exchange, occurredAt, ipCountry: country };
    expect(decodeInput(bytes(plain), 'exchange-transfer').ok).toBe(true);
  });

  it('dead-letters a rate at an impossible time', () => {
    const rate = { type: 'rate', asset: 'BTC', jpy: '15234000', at: '2026-06-31T00:00:00Z' };
    expect(decodeInput(bytes(rate), 'rate')).toMatchObject({ ok: false, fields: ['at'] });
  });

  describe('field paths', () => {
    it("names every violation, nested fields with dots, in the classes' order", () => {
      const plain = {
        ...exchange,
        occurredAt: '2025-02-29T00:00:00Z',
        account: { id: '', residency: 'XX', kind: 'individual' },
        counterparty: { walletType: 'cold', vaspCountry: 'jp' },
        ipCountry: 'ZZ',
      };
      const result = decodeInput(bytes(plain), 'exchange-transfer');
      expect(result).toMatchObject({ ok: false, code: 'SCHEMA_VIOLATION' });
      if (result.ok) return;
      expect([...result.fields].sort()).toEqual(
        [
          'occurredAt',
          'account.id',
          'account.residency',
          'counterparty.walletType',
          'counterparty.vaspCountry',
          'ipCountry',
        ].sort(),
      );
      // The detail stays one short sentence: the first violation only.
      expect(result.detail).toBe(
        'occurredAt must be an ISO-8601 time with a zone, on a real calendar date',
      );
    });

    it('names the bad items of from with [i]', () => {
      const from = ['0xa', '', '0xb', 7, 'x'.repeat(129)];
      const result = decodeInput(bytes({ ...onchain, from }), 'onchain-transfer');
      expect(result).toMatchObject({ ok: false, fields: ['from[1]', 'from[3]', 'from[4]'] });
    });

    it.each<[string, unknown, string[]]>([
      ['empty', [], ['from']],
      ['too long, with bad items', Array(101).fill(''), ['from']],
      ['not an array', '0xa', ['from']],
      ['missing', undefined, ['from']],
    ])('names from itself when the array is %s', (_what, from, fields) => {
      const result = decodeInput(bytes({ ...onchain, from }), 'onchain-transfer');
      expect(result).toMatchObject({ ok: false, fields });
    });

    it('names nested fields of an optional object and missing required ones', () => {
      const plain = { ...onchain, observer: { side: 'both' }, to: undefined, index: -1 };
      const result = decodeInput(bytes(plain), 'onchain-transfer');
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect([...result.fields].sort()).toEqual(
          ['index', 'to', 'observer.exchangeId', 'observer.side'].sort(),
        );
      }
    });

    it('names the type and a forbidden key by their paths', () => {
      const wrongType = decodeInput(bytes({ ...onchain, type: 'rate' }), 'onchain-transfer');
      expect(wrongType).toMatchObject({ ok: false, fields: ['type'] });
      const raw = JSON.stringify({ ...onchain, observer: { exchangeId: 'x', side: 'sender' } });
      const nested = raw.replace('"side"', '"__proto__":{"x":1},"side"');
      expect(decodeInput(Buffer.from(nested), 'onchain-transfer')).toMatchObject({
        ok: false,
        code: 'SCHEMA_VIOLATION',
        fields: ['observer.__proto__'],
      });
      const deep = `${raw.slice(0, -1)},"x":${'['.repeat(11)}1${']'.repeat(11)}}`;
      expect(decodeInput(Buffer.from(deep), 'onchain-transfer')).toMatchObject({
        ok: false,
        fields: [`x${'[0]'.repeat(10)}`],
      });
    });

    it.each<[string, Buffer | null, 'onchain-transfer']>([
      ['an empty value', null, 'onchain-transfer'],
      ['text that is not JSON', Buffer.from('{'), 'onchain-transfer'],
      ['a JSON array', bytes([onchain]), 'onchain-transfer'],
      [
        'a message over the size limit',
        bytes({ ...onchain, pad: 'x'.repeat(70_000) }),
        'onchain-transfer',
      ],
    ])('names no field for %s', (_what, raw, kind) => {
      expect(decodeInput(raw, kind)).toMatchObject({ ok: false, fields: [] });
    });

    it('keeps a path that echoes a long client key short', () => {
      const raw = `${JSON.stringify(onchain).slice(0, -1)},"${'k'.repeat(5000)}":{"__proto__":1}}`;
      const result = decodeInput(Buffer.from(raw), 'onchain-transfer');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fields[0].length).toBeLessThanOrEqual(200);
    });
  });

  it('reads an optional field sent as null as absent, and a required one as missing', () => {
    const result = decodeInput(
      bytes({ ...exchange, valueJpy: null, ipCountry: null }),
      'exchange-transfer',
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.valueJpy).toBeUndefined();
    }
    expect(decodeInput(bytes({ ...onchain, observer: null }), 'onchain-transfer').ok).toBe(true);
    const missing = decodeInput(bytes({ ...onchain, to: null }), 'onchain-transfer');
    expect(missing).toMatchObject({ ok: false, code: 'SCHEMA_VIOLATION' });
  });

  it('keeps details short', () => {
    const result = decodeInput(bytes({ ...onchain, type: 'x'.repeat(1000) }), 'onchain-transfer');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail.length).toBeLessThanOrEqual(300);
  });
});
