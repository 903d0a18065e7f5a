import { cashAddrChecksumHolds, decodeCashAddr, encodeCashAddr } from './cashaddr';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('CashAddr checksum', () => {
  // Spec "Checksum": valid checksums over deliberately invalid payloads.
  it.each([
    'prefix:x64nx6hz',
    'p:gpf8m4h7',
    'bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn',
    'bchtest:spectestnetaddressrealrealaddressqpan2k9lh',
    'bchreg:555555555555555555555555555555555555555555555udxmlmrz',
  ])('holds for %s', (text) => {
    expect(cashAddrChecksumHolds(text)).toBe(true);
  });

  it.each([
    'prefix:x64nx6hy',
    'bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyq',
    'p:gpf8m4h7b',
  ])('fails for %s', (text) => {
    expect(cashAddrChecksumHolds(text)).toBe(false);
  });
});

describe('decodeCashAddr / encodeCashAddr', () => {
  // Spec "Larger test vectors", mainnet rows: hash sizes 160 to 512 bits.
  it.each([
    [
      'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2',
      'f5bf48b397dae70be82b3cca4793f8eb2b6cdac9',
    ],
    [
      'bitcoincash:q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0',
      '7adbf6c17084bc86c1706827b41a56f5ca32865925e946ea',
    ],
    [
      'bitcoincash:qgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcw59jxxuz',
      '3a84f9cf51aae98a3bb3a78bf16a6183790b18719126325bfc0c075b',
    ],
    [
      'bitcoincash:qvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq5nlegake',
      '3173ef6623c6b48ffd1a3dcc0cc6489b0a07bb47a37f47cfef4fe69de825c060',
    ],
    [
      'bitcoincash:qnq8zwpj8cq05n7pytfmskuk9r4gzzel8qtsvwz79zdskftrzxtar994cgutavfklv39gr3uvz',
      'c07138323e00fa4fc122d3b85b9628ea810b3f381706385e289b0b25631197d194b5c238beb136fb',
    ],
  ])('%s', (address, hash) => {
    const decoded = decodeCashAddr(address);
    expect(decoded.ok && decoded.value.kind).toBe('p2pkh');
    expect(decoded.ok && hex(decoded.value.hash)).toBe(hash);
    if (decoded.ok) expect(encodeCashAddr(decoded.value)).toBe(address);
  });

  it('encodes a P2SH hash with the p type', () => {
    const hash = Buffer.from('f5bf48b397dae70be82b3cca4793f8eb2b6cdac9', 'hex');
    // Same hash as the spec's `pref:pr6m7j9…` row, under the mainnet prefix.
    const address = encodeCashAddr({ kind: 'p2sh', hash });
    expect(address.startsWith('bitcoincash:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey')).toBe(true);
    const decoded = decodeCashAddr(address);
    expect(decoded.ok && decoded.value.kind).toBe('p2sh');
  });

  // CashTokens CHIP test vectors: token-aware types lock the same script as the plain ones.
  it.each([
    [
      'bitcoincash:zr6m7j9njldwwzlg9v7v53unlr4jkmx6eycnjehshe',
      'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2',
    ],
    [
      'bitcoincash:rpawqn2h74a4t50phuza84kdp3794pq3cct3k50p0y',
      'bitcoincash:ppawqn2h74a4t50phuza84kdp3794pq3ccvm92p8sh',
    ],
    [
      'bitcoincash:rvqqqqqqqqqqqqqqqqqqqqqqzg69v7ysqqqqqqqqqqqqqqqqqqqqqn9alsp2y',
      'bitcoincash:pvqqqqqqqqqqqqqqqqqqqqqqzg69v7ysqqqqqqqqqqqqqqqqqqqqqpkp7fqn0',
    ],
  ])('token-aware %s encodes back as %s', (tokenAware, plain) => {
    const decoded = decodeCashAddr(tokenAware);
    expect(decoded.ok && encodeCashAddr(decoded.value)).toBe(plain);
  });

  it.each([
    ['bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg3', 'cashaddr checksum mismatch'],
    [
      'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eyLep8ekg2',
      'cashaddr mixes upper and lower case',
    ],
    ['bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t', 'testnet addresses are not accepted'],
    ['pref:pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5', 'cashaddr prefix must be bitcoincash'],
    [
      'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekgb',
      'cashaddr contains an invalid character',
    ],
    ['bitcoincash:', 'cashaddr payload is too short'],
    // Spec checksum vector: the checksum holds but the payload is not an address.
    [
      'bitcoincash:qpzry9x8gf2tvdw0s3jn54khce6mua7lcw20ayyn',
      'cashaddr hash length does not match its version byte',
    ],
  ])('rejects %s: %s', (address, reason) => {
    expect(decodeCashAddr(address)).toEqual({ ok: false, reason });
  });
});
