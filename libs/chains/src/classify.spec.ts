import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSupportedChain } from '@sekimori/contracts';
import { type ListedAddress, classifyListedAddress } from './classify';
import { normalizeAddress } from './normalize';

/** A supported-chain result must be exactly what normalizeAddress makes of the same string. */
function expectNormalizeAgrees(raw: string, listed: ListedAddress): void {
  if (!isSupportedChain(listed.chain)) return;
  expect(normalizeAddress(listed.chain, raw)).toEqual({ ok: true, ...listed });
}

describe('classifyListedAddress', () => {
  it.each([
    // [raw, tag, chain, key]
    [
      '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
      'XBT',
      'bitcoin',
      'bitcoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
    ], // Garantex
    [
      '12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx',
      'XBT',
      'bitcoin',
      'bitcoin:12HQDsicffSBaYdJ6BhnE22sfjTESmmzKx',
    ], // Suex
    [
      '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3D9', // Garantex
      'ETH',
      'ethereum',
      'evm:0x7ff9cfad3877f21d41da833e2f775db0569ee3d9',
    ],
    [
      'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
      'TRX',
      'tron',
      'tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
    ], // Garantex
    [
      'TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep',
      'USDT',
      'tron',
      'tron:TL1k1U6SHohxBqb68kCodxHc9y2LXoDSep',
    ], // Grinex
    // OFAC's USDT tag covers three chains; the format decides.
    [
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      'USDT',
      'bitcoin',
      'bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ], // Omni
    [
      '0xde709f2102306220921060314715629080e2fb77',
      'USDT',
      'ethereum',
      'evm:0xde709f2102306220921060314715629080e2fb77',
    ],
    [
      'TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
      'XBT',
      'tron',
      'tron:TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD',
    ],
    [
      'BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4',
      'XBT',
      'bitcoin',
      'bitcoin:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    ],
    [
      '1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu',
      'BCH',
      'bitcoin-cash',
      'bitcoin-cash:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    ],
    [
      'qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq',
      'BCH',
      'bitcoin-cash',
      'bitcoin-cash:bitcoincash:qpf2cphc5dkuclkqur7lhj2yuqq9pk3hmukle77vhq',
    ],
    [
      'bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
      'XBT',
      'bitcoin-cash',
      'bitcoin-cash:bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a',
    ],
    [
      'LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z',
      'LTC',
      'litecoin',
      'litecoin:LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z',
    ],
    [
      'LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z',
      'XBT',
      'litecoin',
      'litecoin:LaizKtS5DUhPuP1nTQcc83MS7HwK6vk85z',
    ],
    [
      '3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
      'LTC',
      'litecoin',
      'litecoin:3Lpoy53K625zVeE47ZasiG5jGkAxJ27kh1',
    ],
    [
      'ltc1qx88q7zjd74lxwgkjmmwlqv5pd3vujuehexfttt',
      'LTC',
      'litecoin',
      'litecoin:ltc1qx88q7zjd74lxwgkjmmwlqv5pd3vujuehexfttt',
    ],
    [
      '12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9',
      'BSV',
      'bitcoin-sv',
      'bitcoin-sv:12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9',
    ],
    [
      '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
      'SOL',
      'solana',
      'solana:42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
    ],
    [
      '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
      'USDC',
      'solana',
      'solana:42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
    ],
    [
      'rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66',
      'XRP',
      'ripple',
      'ripple:rnXyVQzgxZe7TR1EPzTkGj2jxH4LMJYh66',
    ],
    [
      '0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b',
      'ETC',
      'ethereum',
      'evm:0xd882cfc20f52f2599d84b8e8d58c7fb62cfe344b',
    ],
    // Formats this library does not validate keep their raw spelling under the tag.
    [
      '884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL',
      'XMR',
      'other:xmr',
      'other:xmr:884Bz8UH63aYsjVdkfWfScRYWZGGNbjFL7pztqvWNSrtYT4reFSwyvkCj9KEGUtheHhhMUj87ciTBFyzoesrMJ4L1FvSoxL',
    ],
    [
      't1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy',
      'ZEC',
      'other:zec',
      'other:zec:t1g7wowvQ8gn2v8jrU1biyJ26sieNqNsBJy',
    ],
    [
      'XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2',
      'DASH',
      'other:dash',
      'other:dash:XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2',
    ],
    [
      'GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS',
      'BTG',
      'other:btg',
      'other:btg:GPwg61XoHqQPNmAucFACuQ5H9sGCDv9TpS',
    ],
    [
      'DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z',
      'XVG',
      'other:xvg',
      'other:xvg:DFFJhnQNZf8rf67tYnesPu7MuGUpYtzv7Z',
    ],
    [
      'bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23',
      'BNB',
      'other:bnb',
      'other:bnb:bnb136ns6lfw4zs5hg4n85vdthaad7hq5m4gtkgf23',
    ],
    // Valid base58 with a version that no supported chain uses under this tag.
    [
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      'LTC',
      'other:ltc',
      'other:ltc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    ],
    // A 32-byte key under a non-Solana tag is not assumed to be Solana.
    [
      '42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
      'XMR',
      'other:xmr',
      'other:xmr:42RLPACwZPx3vYYmxSueqsogfynBDqXK298EDsNoyoHi',
    ],
    // Malformed entries of supported formats are kept, never silently dropped.
    [
      '0x7FF9cFad3877F21d41Da833E2F775dB0569eE3d9',
      'ETH',
      'other:eth',
      'other:eth:0x7FF9cFad3877F21d41Da833E2F775dB0569eE3d9',
    ],
    [
      'bc1qw508d6qejxtdg4y5r3zarvary0c5XW7KV8F3T4',
      'XBT',
      'other:xbt',
      'other:xbt:bc1qw508d6qejxtdg4y5r3zarvary0c5XW7KV8F3T4',
    ],
    [
      '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
      'XBT',
      'other:xbt',
      'other:xbt:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb',
    ],
    [
      'XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2',
      ' Dash ',
      'other:dash',
      'other:dash:XnPFsRWTaSgiVauosEwQ6dEitGYXgwznz2',
    ],
    ['somethingelse', '', 'other:unknown', 'other:unknown:somethingelse'],
  ])('%s tagged %j is %s', (raw, tag, chain, key) => {
    const listed = classifyListedAddress(raw, tag);
    expect(listed).toMatchObject({ chain, key });
    if (listed) expectNormalizeAgrees(raw, listed);
  });

  it.each([
    '',
    ' ',
    '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ',
    ' 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    'a\tb',
    'a\nb',
  ])('returns null for %j', (raw) => {
    expect(classifyListedAddress(raw, 'XBT')).toBeNull();
  });
});

describe('classifyListedAddress over the OFAC digital currency addresses of 2025-11-19', () => {
  const csv = readFileSync(
    join(__dirname, '__fixtures__', 'digital-currency-addresses-2025-11-19.csv'),
    'utf8',
  );
  const [header, ...lines] = csv.trimEnd().split('\n');
  // The first two columns are never quoted: addresses and currency codes have no commas.
  const rows = lines.map((line) => {
    const [address, currency] = line.split(',', 2);
    return { address, currency, listed: classifyListedAddress(address, currency) };
  });

  it('reads every row', () => {
    expect(header.startsWith('address,currency,')).toBe(true);
    expect(rows).toHaveLength(761);
  });

  it('classifies every row', () => {
    expect(rows.filter((row) => row.listed === null)).toEqual([]);
  });

  const SUPPORTED_TAGS = [
    'XBT',
    'ETH',
    'TRX',
    'USDT',
    'LTC',
    'BCH',
    'ETC',
    'ARB',
    'BSC',
    'USDC',
    'SOL',
  ];
  it('puts every row of a supported currency on a supported chain', () => {
    const stray = rows.filter(
      (row) => SUPPORTED_TAGS.includes(row.currency) && !isSupportedChain(row.listed?.chain ?? ''),
    );
    expect(stray).toEqual([]);
  });

  it('agrees with normalizeAddress on every supported-chain row', () => {
    for (const { address, listed } of rows) if (listed) expectNormalizeAgrees(address, listed);
  });

  it('observes these per-chain counts', () => {
    const counts: Record<string, number> = {};
    for (const { listed } of rows)
      if (listed) counts[listed.chain] = (counts[listed.chain] ?? 0) + 1;
    expect(counts).toEqual({
      bitcoin: 525,
      tron: 108,
      ethereum: 90,
      litecoin: 11,
      'bitcoin-cash': 7,
      solana: 1,
      ripple: 1,
      'bitcoin-sv': 1,
      'other:xmr': 8,
      'other:zec': 3,
      'other:dash': 3,
      'other:btg': 1,
      'other:xvg': 1,
      'other:bnb': 1,
    });
  });

  it('routes each tag by address format', () => {
    const routes: Record<string, number> = {};
    for (const { currency, listed } of rows) {
      const route = `${currency} -> ${listed?.chain}`;
      routes[route] = (routes[route] ?? 0) + 1;
    }
    expect(routes).toEqual({
      'XBT -> bitcoin': 518,
      'XBT -> tron': 1,
      'USDT -> tron': 78,
      'USDT -> ethereum': 8,
      'USDT -> bitcoin': 7,
      'ETH -> ethereum': 77,
      'TRX -> tron': 29,
      'LTC -> litecoin': 11,
      'BCH -> bitcoin-cash': 7,
      'USDC -> ethereum': 2,
      'ETC -> ethereum': 1,
      'ARB -> ethereum': 1,
      'BSC -> ethereum': 1,
      'SOL -> solana': 1,
      'XRP -> ripple': 1,
      'BSV -> bitcoin-sv': 1,
      'XMR -> other:xmr': 8,
      'ZEC -> other:zec': 3,
      'DASH -> other:dash': 3,
      'BTG -> other:btg': 1,
      'XVG -> other:xvg': 1,
      'BNB -> other:bnb': 1,
    });
  });

  it('checks EIP-55 on the mixed-case Ethereum rows, and they all pass', () => {
    const mixed = rows.filter(
      ({ address }) =>
        /^0x[0-9a-fA-F]{40}$/.test(address) && /[a-f]/.test(address) && /[A-F]/.test(address),
    );
    expect(mixed.length).toBeGreaterThan(0);
    expect(mixed.every(({ listed }) => listed?.chain === 'ethereum')).toBe(true);
  });
});
