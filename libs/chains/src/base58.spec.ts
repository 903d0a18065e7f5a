import {
  BITCOIN_ALPHABET,
  XRP_ALPHABET,
  decodeBase58,
  decodeBase58Check,
  encodeBase58,
  encodeBase58Check,
} from './base58';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ascii = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'ascii'));

describe('base58', () => {
  // draft-msporny-base58-03 §5 examples, plus leading-zero edge cases.
  it.each([
    ['', ''],
    ['00', '1'],
    ['0000', '11'],
    ['61', '2g'],
    ['626262', 'a3gV'],
    [hex(ascii('Hello World!')), '2NEpo7TZRRrLZSi2U'],
    [
      hex(ascii('The quick brown fox jumps over the lazy dog.')),
      'USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z',
    ],
    ['0000287fb4cd', '11233QC4'],
  ])('%s <-> %s', (bytesHex, text) => {
    expect(encodeBase58(Buffer.from(bytesHex, 'hex'), BITCOIN_ALPHABET)).toBe(text);
    expect(hex(decodeBase58(text, BITCOIN_ALPHABET) ?? new Uint8Array([0xff]))).toBe(bytesHex);
  });

  it.each(['0', 'O', 'I', 'l', '1 1', 'é', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN\u0430'])(
    'rejects %j, which is not made of base58 digits',
    (text) => {
      expect(decodeBase58(text, BITCOIN_ALPHABET)).toBeNull();
    },
  );
});

describe('base58check', () => {
  it('decodes the genesis-block address to version 0 and its key hash', () => {
    const decoded = decodeBase58Check('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', BITCOIN_ALPHABET);
    expect(decoded).toEqual({ ok: true, value: expect.any(Uint8Array) });
    if (decoded.ok) expect(hex(decoded.value)).toBe('0062e907b15cbf27d5425399ebf6f0fb50ebb88f18');
  });

  it('decodes the XRP Ledger genesis account with the XRP alphabet', () => {
    const decoded = decodeBase58Check('rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh', XRP_ALPHABET);
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
    const alphabet = reason === null ? XRP_ALPHABET : BITCOIN_ALPHABET;
    const decoded = decodeBase58Check(text, alphabet);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok && reason !== null) expect(decoded.reason).toBe(reason);
  });

  it('encodes what it decodes', () => {
    const payload = Buffer.from('4157f01c2f8c1e0b9b2e84f4f5fa6a8f4b0e31f7c2', 'hex');
    const text = encodeBase58Check(payload, BITCOIN_ALPHABET);
    expect(text.startsWith('T')).toBe(true);
    const decoded = decodeBase58Check(text, BITCOIN_ALPHABET);
    expect(decoded.ok && hex(decoded.value)).toBe(payload.toString('hex'));
  });
});
