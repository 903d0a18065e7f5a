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
    ['a null value', null, 'INVALID_JSON', /empty/],
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
