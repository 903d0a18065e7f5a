import fc from 'fast-check';
import { normalizeEvmAddress, toEip55 } from './evm';

describe('normalizeEvmAddress', () => {
  // EIP-55 "Test Cases" (https://eips.ethereum.org/EIPS/eip-55).
  const checksummed = [
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    // OFAC, Garantex
    '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
  ];

  it.each(checksummed)('accepts the EIP-55 spelling %s and lowers it', (address) => {
    expect(normalizeEvmAddress(address)).toEqual({ ok: true, value: address.toLowerCase() });
    expect(toEip55(address.toLowerCase())).toBe(address);
  });

  it.each([
    // EIP-55 "all caps" and "all lower" cases: no checksum to verify.
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
    '0xde709f2102306220921060314715629080e2fb77',
    '0x27b1fdb04752bbc536007a920d24acb045561c26',
  ])('accepts the single-case spelling %s', (address) => {
    expect(normalizeEvmAddress(address)).toEqual({ ok: true, value: address.toLowerCase() });
  });

  it.each([
    [
      'one letter with the wrong case',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD',
      'EIP-55 checksum mismatch',
    ],
    [
      'two letters swapped in case',
      '0x5AaEb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'EIP-55 checksum mismatch',
    ],
    [
      'an upper-case X',
      '0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
      'EVM address must start with 0x',
    ],
    ['no 0x', '005aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'EVM address must start with 0x'],
    [
      '41 hex digits',
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed0',
      'EVM address must be 0x and 40 hex digits',
    ],
    [
      '39 hex digits',
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae',
      'EVM address must be 0x and 40 hex digits',
    ],
    [
      'a g',
      '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg',
      'EVM address contains a non-hex character',
    ],
  ])('rejects %s', (_case, address, reason) => {
    expect(normalizeEvmAddress(address)).toEqual({ ok: false, reason });
  });

  it('gives every legal spelling of an address the same canonical form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const lower = `0x${Buffer.from(bytes).toString('hex')}`;
        const spellings = [lower, `0x${lower.slice(2).toUpperCase()}`, toEip55(lower)];
        return spellings.every((spelling) => {
          const result = normalizeEvmAddress(spelling);
          return result.ok && result.value === lower;
        });
      }),
    );
  });
});
