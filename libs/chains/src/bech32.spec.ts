import { decodeBech32, decodeSegwitAddress } from './bech32';
import { BITCOIN } from './utxo';

/** scriptPubKey = OP_n (0x00 or 0x50 + n), push length, program. */
function scriptPubKey(version: number, program: Uint8Array): string {
  const op = version === 0 ? 0 : 0x50 + version;
  return Buffer.concat([Buffer.from([op, program.length]), program]).toString('hex');
}

describe('decodeBech32', () => {
  // BIP173 "Test vectors": valid Bech32 strings.
  it.each([
    'A12UEL5L',
    'a12uel5l',
    'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
    'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
    '11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j',
    'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
    '?1ezyfcl',
  ])('BIP173 valid Bech32: %s', (text) => {
    const decoded = decodeBech32(text);
    expect(decoded.ok && decoded.value.encoding).toBe('bech32');
  });

  // BIP350 "Test vectors for Bech32m": valid Bech32m strings (and so invalid Bech32).
  it.each([
    'A1LQFN3A',
    'a1lqfn3a',
    'an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6',
    'abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx',
    '11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8',
    'split1checkupstagehandshakeupstreamerranterredcaperredlc445v',
    '?1v759aa',
  ])('BIP350 valid Bech32m: %s', (text) => {
    const decoded = decodeBech32(text);
    expect(decoded.ok && decoded.value.encoding).toBe('bech32m');
  });

  // BIP173 and BIP350 invalid strings, with the reason the BIPs give.
  it.each([
    ['HRP character out of range (0x20)', '\x201nwldj5'],
    ['HRP character out of range (0x7F)', '\x7f1axkwrx'],
    ['HRP character out of range (0x80)', '\x801eym55h'],
    [
      'overall max length exceeded',
      'an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx',
    ],
    ['no separator character', 'pzry9x0s0muk'],
    ['empty HRP', '1pzry9x0s0muk'],
    ['invalid data character', 'x1b4n0q5v'],
    ['too short checksum', 'li1dgmt3'],
    ['invalid character in checksum', 'de1lg7wt\xff'],
    ['checksum calculated with uppercase form of HRP', 'A1G7SGD8'],
    ['empty HRP', '10a06t8'],
    ['empty HRP', '1qzzfhee'],
    ['HRP character out of range (0x20), bech32m', '\x201xj0phk'],
    ['invalid data character, bech32m', 'y1b0jsk6g'],
    ['invalid data character, bech32m', 'lt1igcx5c0'],
    ['too short checksum, bech32m', 'in1muywd'],
    ['invalid character in checksum, bech32m', 'mm1crxm3i'],
    ['invalid character in checksum, bech32m', 'au1s5cgom'],
    ['checksum calculated with uppercase form of HRP, bech32m', 'M1VUXWEZ'],
    ['empty HRP, bech32m', '16plkw9'],
    ['empty HRP, bech32m', '1p2gdwpf'],
  ])('rejects: %s', (_reason, text) => {
    expect(decodeBech32(text).ok).toBe(false);
  });

  it('rejects mixed case with a readable reason', () => {
    expect(decodeBech32('a12UEL5L')).toEqual({
      ok: false,
      reason: 'bech32 string mixes upper and lower case',
    });
  });
});

describe('decodeSegwitAddress (Bitcoin mainnet)', () => {
  // BIP350 valid segwit addresses on mainnet, with their scriptPubKey.
  it.each([
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
    [
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
      '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
    ],
    ['BC1SW50QGDZ25J', '6002751e'],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    ],
  ])('%s', (address, script) => {
    const decoded = decodeSegwitAddress(address, BITCOIN.segwit);
    expect(decoded.ok && scriptPubKey(decoded.value.version, decoded.value.program)).toBe(script);
  });

  // BIP350 invalid segwit addresses (BIP173's v1+ vectors are now invalid: they use Bech32).
  it.each([
    ['tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', 'segwit prefix must be bc1'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd',
      'segwit v1+ needs a bech32m checksum',
    ],
    [
      'BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL',
      'segwit v1+ needs a bech32m checksum',
    ],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'segwit v0 needs a bech32 checksum'],
    [
      'bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4',
      'bech32 data contains an invalid character',
    ],
    [
      'BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R',
      'segwit witness version is above 16',
    ],
    ['bc1pw5dgrnzv', 'segwit program length must be 2 to 40 bytes'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
      'segwit program length must be 2 to 40 bytes',
    ],
    ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'segwit v0 program must be 20 or 32 bytes'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf',
      'segwit program has invalid padding',
    ],
    ['bc1gmk9yu', 'segwit witness version is missing'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bech32 checksum mismatch'],
    // BIP173's own v1 example, valid under BIP173 but not since BIP350.
    [
      'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx',
      'segwit v1+ needs a bech32m checksum',
    ],
    ['bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du', 'segwit v1+ needs a bech32m checksum'],
  ])('rejects %s: %s', (address, reason) => {
    expect(decodeSegwitAddress(address, BITCOIN.segwit)).toEqual({ ok: false, reason });
  });

  it.each([
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
  ])('rejects testnet %s', (address) => {
    expect(decodeSegwitAddress(address, BITCOIN.segwit)).toEqual({
      ok: false,
      reason: 'testnet addresses are not accepted',
    });
  });
});
