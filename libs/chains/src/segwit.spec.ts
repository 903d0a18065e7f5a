import { decodeSegwitAddress } from './segwit';
import { BITCOIN } from './utxo';

/** scriptPubKey = OP_n (0x00 or 0x50 + n), push length, program. */
function scriptPubKey(version: number, program: Uint8Array): string {
  const op = version === 0 ? 0 : 0x50 + version;
  return Buffer.concat([Buffer.from([op, program.length]), program]).toString('hex');
}

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
