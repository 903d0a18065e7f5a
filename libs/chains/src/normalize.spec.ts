import type { ChainId } from '@sekimori/contracts';
import fc from 'fast-check';
import { decodeBase58Check, encodeBase58Check } from './base58';
import { encodeCashAddr } from './cashaddr';
import { normalizeAddress } from './normalize';

type Valid = [chain: ChainId, raw: string, canonical: string];
type Invalid = [chain: ChainId, raw: string, reason: string];

const same = (chain: ChainId, raw: string): Valid => [chain, raw, raw];

// Real mainnet addresses: OFAC SDN entries, genesis blocks, spec vectors.
const valid: Valid[] = [
  same('bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'), // genesis block coinbase
  same('bitcoin', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'), // OFAC: Garantex
  same('bitcoin', '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx'), // OFAC: Suex
  [
    'bitcoin',
    'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  ],
  same('bitcoin', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0'), // BIP350 taproot
  same('bitcoin', 'bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs'), // BIP350 v2, 16 bytes
  same('litecoin', 'LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z'), // OFAC
  same('litecoin', 'LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ'),
  same('litecoin', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1'), // 0x05 P2SH, still valid on Litecoin
  same('litecoin', 'ltc1qx88q7zjd74lxwgkjmmwlqv5pd3vujuehexfttt'),
  [
    'litecoin',
    'LTC1QX88Q7ZJD74LXWGKJMMWLQV5PD3VUJUEHEXFTTT',
    'ltc1qx88q7zjd74lxwgkjmmwlqv5pd3vujuehexfttt',
  ],
  // CashAddr spec "Examples of address translation": legacy and CashAddr spell one address.
  [
    'bitcoin-cash',
    '1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
  ],
  [
    'bitcoin-cash',
    '1KXrWXciRDZUpQwQmuM1DbwsKDLYAYsVLR',
    'bitcoincash:qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy',
  ],
  [
    'bitcoin-cash',
    '16w1D5WRVKJuZUsSRzdLp9w3YGcgoxDXb',
    'bitcoincash:qqq3728yw0y47sqn6l2na30mcw6zm78dzqre909m2r',
  ],
  [
    'bitcoin-cash',
    '3CWFddi6m4ndiGyKqzYvsFYagqDLPVMTzC',
    'bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq',
  ],
  [
    'bitcoin-cash',
    '3LDsS579y7sruadqu11beEJoTjdFiFCdX4',
    'bitcoincash:pr95sy3j9xwd2ap32xkykttr4cvcu7as4yc93ky28e',
  ],
  [
    'bitcoin-cash',
    '31nwvkZwyPdgzjBJZXfDmSWsC4ZLKpYyUw',
    'bitcoincash:pqq3728yw0y47sqn6l2na30mcw6zm78dzq5ucqzc37',
  ],
  same('bitcoin-cash', 'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a'),
  [
    'bitcoin-cash',
    'qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
  ],
  [
    'bitcoin-cash',
    'BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
  ],
  [
    'bitcoin-cash',
    'QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
  ],
  // CashTokens token-aware form of the spec's 20-byte vector: same script, same key.
  [
    'bitcoin-cash',
    'bitcoincash:zr6m7j9njldwwzlg9v7v53unlr4jkmx6eycnjehshe',
    'bitcoincash:qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2',
  ],
  // OFAC BCH entry, listed without its prefix.
  [
    'bitcoin-cash',
    'qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq',
    'bitcoincash:qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq',
  ],
  [
    'ethereum',
    '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
    '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
  ], // OFAC: Garantex
  [
    'bsc',
    '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
    '0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
  ],
  same('polygon', '0xde709f2102306220921060314715629080e2fb77'),
  [
    'arbitrum',
    '0x52908400098527886E0F7030069857D2E4169EE7',
    '0x52908400098527886e0f7030069857d2e4169ee7',
  ],
  [
    'optimism',
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed',
  ],
  same('base', '0x27b1fdb04752bbc536007a920d24acb045561c26'),
  [
    'avalanche',
    '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
    '0xd1220a0cf47c7b9be7a2e6ba89f429762e7b9adb',
  ],
  same('tron', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD'), // OFAC: Garantex
  same('tron', 'TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep'), // OFAC: Grinex
  ['tron', '41418949a4a7da9e07192909722072dded8f670d58', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD'], // hex form
  ['tron', '41418949A4A7DA9E07192909722072DDED8F670D58', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD'],
  same('solana', '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi'), // OFAC
  same('solana', '11111111111111111111111111111111'), // the System Program: 32 zero bytes
  same('solana', 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'), // the SPL Token program
  same('ripple', 'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66'), // OFAC
  same('ripple', 'rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh'), // XRP Ledger genesis account
];

const TESTNET = 'testnet addresses are not accepted';
const invalid: Invalid[] = [
  ['bitcoin', '', 'address is empty'],
  ['bitcoin', ' 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'address has leading or trailing whitespace'],
  ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n', 'address has leading or trailing whitespace'],
  [
    'bitcoin',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\u00a0',
    'address has leading or trailing whitespace',
  ],
  ['bitcoin', `bc1${'q'.repeat(10_000)}`, 'address is longer than 100 characters'],
  ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'base58check checksum mismatch'],
  ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNA', 'base58check checksum mismatch'], // base58 is case-sensitive
  [
    'bitcoin',
    '1a1zp1ep5qgefi2dmptftl5slmv7divfna',
    'contains a character outside the base58 alphabet',
  ],
  [
    'bitcoin',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7Div0Na',
    'contains a character outside the base58 alphabet',
  ],
  ['bitcoin', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', TESTNET], // version 0x6f
  ['bitcoin', '2N3vVYSK5XRgVSGWy21PnsRmBUywSQNdCsf', TESTNET], // version 0xc4
  [
    'bitcoin',
    'LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z',
    'base58 version byte 0x30 is not used by this chain',
  ],
  [
    'bitcoin',
    'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
    'base58 version byte 0x41 is not used by this chain',
  ],
  ['bitcoin', '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi', 'base58check checksum mismatch'],
  ['bitcoin', '1111111111111111111111111111111111', 'base58check checksum mismatch'],
  ['bitcoin', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bech32 checksum mismatch'],
  [
    'bitcoin',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5XW7KV8F3T4',
    'bech32 string mixes upper and lower case',
  ],
  ['bitcoin', 'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7', TESTNET],
  ['bitcoin', 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', TESTNET], // regtest
  [
    'bitcoin',
    '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9',
    'contains a character outside the base58 alphabet',
  ],
  [
    'litecoin',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    'base58 version byte 0x00 is not used by this chain',
  ],
  ['litecoin', 'QXHFfTBKYXjaaTH1e7Rox8CcdNPGHVhM59', TESTNET], // version 0x3a
  ['litecoin', 'tltc1qw508d6qejxtdg4y5r3zarvary0c5xw7klfsuq0', TESTNET],
  [
    'litecoin',
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    'contains a character outside the base58 alphabet',
  ],
  [
    'bitcoin-cash',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6c',
    'cashaddr checksum mismatch',
  ],
  [
    'bitcoin-cash',
    'bitcoincash:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A',
    'cashaddr mixes upper and lower case',
  ],
  ['bitcoin-cash', 'bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t', TESTNET],
  ['bitcoin-cash', 'mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r', TESTNET],
  ['bitcoin-cash', 'LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z', 'cashaddr mixes upper and lower case'],
  [
    'bitcoin-cash',
    'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a ',
    'address has leading or trailing whitespace',
  ],
  ['bitcoin-cash', '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh2', 'base58check checksum mismatch'],
  ['ethereum', '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3d9', 'EIP-55 checksum mismatch'],
  [
    'polygon',
    '7ff9cfad3877f21d41da833e2f775db0569ee3d9',
    'EVM address must be 0x and 40 hex digits',
  ],
  ['tron', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbE', 'base58check checksum mismatch'],
  ['tron', 'tfwjpscajrcbswvaywe1s1wgaugsnyyubd', 'base58check checksum mismatch'],
  [
    'tron',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    'Tron address must decode to version 0x41 and 20 bytes',
  ],
  [
    'tron',
    '0x418949a4a7da9e07192909722072dded8f670d58',
    'Tron address must be 34 base58 characters',
  ],
  [
    'solana',
    '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoH0',
    'contains a character outside the base58 alphabet',
  ],
  ['solana', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'Solana address must decode to 32 bytes'],
  [
    'solana',
    '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHiA',
    'Solana address must be 32 to 44 base58 characters',
  ],
  ['ripple', 'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh67', 'base58check checksum mismatch'],
  ['ripple', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'base58check checksum mismatch'],
  [
    'ripple',
    'X7AcgcsBL6XDcUb289X4mJ8djcdyKaB5hJDWMArnXr61cqZ',
    'XRP X-addresses are not supported; use the classic r-address',
  ],
];

describe('normalizeAddress', () => {
  it.each(valid)('%s accepts %s', (chain, raw, canonical) => {
    const result = normalizeAddress(chain, raw);
    expect(result).toEqual({ ok: true, chain, canonical, key: expect.any(String) });
  });

  it.each(invalid)('%s rejects %j', (chain, raw, reason) => {
    expect(normalizeAddress(chain, raw)).toEqual({ ok: false, reason });
  });

  it('keys every EVM chain in one space', () => {
    const evmChains: ChainId[] = [
      'ethereum',
      'bsc',
      'polygon',
      'arbitrum',
      'optimism',
      'base',
      'avalanche',
    ];
    const keys = evmChains.map((chain) => {
      const result = normalizeAddress(chain, '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9');
      return result.ok && result.key;
    });
    expect(new Set(keys)).toEqual(new Set(['evm:0x7ff9cfad3877f21d41da833e2f775db0569ee3d9']));
  });

  it.each([
    ['bitcoin', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa'],
    [
      'litecoin',
      '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
      'litecoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
    ],
    [
      'bitcoin-cash',
      '1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu',
      'bitcoin-cash:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    ],
    ['tron', 'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD', 'tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD'],
    [
      'solana',
      '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
      'solana:42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
    ],
    ['ripple', 'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66', 'ripple:rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66'],
  ] as const)('keys %s %s as %s', (chain, raw, key) => {
    expect(normalizeAddress(chain, raw)).toMatchObject({ ok: true, key });
  });

  it.each(['dogecoin', 'constructor', '__proto__', 'toString'])(
    'rejects the unsupported chain %j',
    (chain) => {
      expect(normalizeAddress(chain as ChainId, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({
        ok: false,
        reason: `chain ${chain} is not supported`,
      });
    },
  );

  it('gives every legal Bitcoin Cash spelling of a hash one key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        fc.constantFrom(0x00, 0x05),
        (hash, version) => {
          const legacy = encodeBase58Check(Uint8Array.of(version, ...hash), 'bitcoin');
          const cashaddr = encodeCashAddr({ kind: version === 0 ? 'p2pkh' : 'p2sh', hash });
          const bare = cashaddr.slice('bitcoincash:'.length);
          const spellings = [legacy, cashaddr, cashaddr.toUpperCase(), bare, bare.toUpperCase()];
          const keys = new Set(
            spellings.map((raw) => {
              const result = normalizeAddress('bitcoin-cash', raw);
              return result.ok ? result.key : result.reason;
            }),
          );
          return keys.size === 1 && keys.has(`bitcoin-cash:${cashaddr}`);
        },
      ),
    );
  });

  it('gives the Tron hex and base58 spellings one key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (id) => {
        const payload = Uint8Array.of(0x41, ...id);
        const base58 = encodeBase58Check(payload, 'bitcoin');
        const decoded = decodeBase58Check(base58, 'bitcoin');
        const hex = Buffer.from(payload).toString('hex');
        const a = normalizeAddress('tron', base58);
        const b = normalizeAddress('tron', hex);
        return decoded.ok && a.ok && b.ok && a.key === b.key && a.canonical === base58;
      }),
    );
  });
});
