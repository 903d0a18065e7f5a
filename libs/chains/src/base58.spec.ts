import { base58, base58xrp } from '@scure/base';
import fc from 'fast-check';
import { decodeBase58, decodeBase58Check, encodeBase58Check } from './base58';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// The checksum is compared here, not in @scure/base (whose base58check knows Bitcoin's digits only).
describe('base58check', () => {
  it('decodes the genesis-block address to version 0 and its key hash', () => {
    const decoded = decodeBase58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'bitcoin');
    expect(decoded).toEqual({ ok: true, value: expect.any(Uint8Array) });
    if (decoded.ok) expect(hex(decoded.value)).toBe('0062e907b15cbf27d5425399ebf6f0fb50ebb88f18');
  });

  it('decodes the XRP Ledger genesis account with the XRP alphabet', () => {
    const decoded = decodeBase58Check('rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh', 'xrp');
    expect(decoded.ok && hex(decoded.value)).toBe('00b5f762798a53d543a014caf8b297cff8f2f937e8');
  });

  it.each([
    [
      'a changed last character',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
      'base58check checksum mismatch',
    ],
    [
      'two swapped characters',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivNfa',
      'base58check checksum mismatch',
    ],
    ['a Bitcoin address read with the XRP alphabet', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', null],
    ['too little data for a checksum', '1111', 'base58 data is too short'],
    [
      'a non-digit',
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7Div0Na',
      'contains a character outside the base58 alphabet',
    ],
  ])('rejects %s', (_case, text, reason) => {
    const alphabet = reason === null ? 'xrp' : 'bitcoin';
    const decoded = decodeBase58Check(text, alphabet);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok && reason !== null) expect(decoded.reason).toBe(reason);
  });

  it('encodes what it decodes', () => {
    const payload = Buffer.from('4157f01c2f8c1e0b9b2e84f4f5fa6a8f4b0e31f7c2', 'hex');
    const text = encodeBase58Check(payload, 'bitcoin');
    expect(text.startsWith('T')).toBe(true);
    const decoded = decodeBase58Check(text, 'bitcoin');
    expect(decoded.ok && hex(decoded.value)).toBe(payload.toString('hex'));
  });
});

describe('base58', () => {
  it.each([
    ['bitcoin', base58],
    ['xrp', base58xrp],
  ] as const)(
    'decodes what a reference encoder (@scure/base) wrote, %s digits',
    (alphabet, reference) => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat({ max: 4 }), (bytes, zeros) => {
          const withZeros = Uint8Array.from([...new Uint8Array(zeros), ...bytes]);
          expect(hex(decodeBase58(reference.encode(withZeros), alphabet) ?? new Uint8Array())).toBe(
            hex(withZeros),
          );
        }),
      );
    },
  );

  it('refuses a character outside the alphabet, beyond ASCII too', () => {
    for (const text of ['10OIl', 'abc0', 'ab\u00e9', '1A1z\u{1F600}']) {
      expect(decodeBase58(text, 'bitcoin')).toBeNull();
    }
  });
});
