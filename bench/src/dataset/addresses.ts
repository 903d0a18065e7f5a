import { readFileSync } from 'node:fs';
import { classifyListedAddress, normalizeAddress } from '@sekimori/chains';
import { type ChainId, EVM_CHAINS, isSupportedChain } from '@sekimori/contracts';
import { bech32 } from '@scure/base';
// Encoders the chains library keeps internal: the benchmark only needs them to make addresses.
import { encodeBase58, encodeBase58Check } from '../../../libs/chains/src/base58';
import { encodeCashAddr } from '../../../libs/chains/src/cashaddr';
import { toEip55 } from '../../../libs/chains/src/evm';
import type { Rng } from './rng';

/** The chains the generated stream uses, and the assets seen on each. */
export const TRAFFIC_CHAINS: ReadonlyArray<readonly [ChainId, number]> = [
  ['bitcoin', 28],
  ['ethereum', 22],
  ['tron', 14],
  ['bsc', 6],
  ['polygon', 4],
  ['arbitrum', 4],
  ['litecoin', 5],
  ['bitcoin-cash', 4],
  ['solana', 7],
  ['ripple', 6],
];

export const ASSETS_BY_CHAIN: Readonly<Record<string, readonly string[]>> = {
  bitcoin: ['BTC'],
  ethereum: ['ETH', 'USDT', 'USDC'],
  tron: ['TRX', 'USDT'],
  bsc: ['BNB', 'USDT'],
  polygon: ['POL', 'USDC'],
  arbitrum: ['ETH', 'USDC'],
  litecoin: ['LTC'],
  'bitcoin-cash': ['BCH'],
  solana: ['SOL', 'USDC'],
  ripple: ['XRP'],
};

/** A segwit version-0 address (BIP173: witness version word, then the program in 5-bit words). */
function segwitV0(hrp: string, program: Uint8Array): string {
  return bech32.encode(hrp, [0, ...bech32.toWords(program)]);
}

function with20(version: number, rng: Rng): Uint8Array {
  const payload = new Uint8Array(21);
  payload[0] = version;
  payload.set(rng.bytes(20), 1);
  return payload;
}

/** One fresh, valid address of the chain, in a spelling its users write. */
function randomAddress(chain: ChainId, rng: Rng): string {
  switch (chain) {
    case 'bitcoin': {
      const r = rng.next();
      if (r < 0.45) return encodeBase58Check(with20(0x00, rng), 'bitcoin');
      if (r < 0.65) return encodeBase58Check(with20(0x05, rng), 'bitcoin');
      return segwitV0('bc', rng.bytes(20));
    }
    case 'litecoin':
      return rng.chance(0.7)
        ? encodeBase58Check(with20(0x30, rng), 'bitcoin')
        : segwitV0('ltc', rng.bytes(20));
    case 'bitcoin-cash': {
      const cash = encodeCashAddr({ kind: 'p2pkh', hash: rng.bytes(20) });
      return rng.chance(0.5) ? cash : cash.slice('bitcoincash:'.length);
    }
    case 'tron':
      return encodeBase58Check(with20(0x41, rng), 'bitcoin');
    case 'solana':
      return encodeBase58(rng.bytes(32), 'bitcoin');
    case 'ripple':
      return encodeBase58Check(with20(0x00, rng), 'xrp');
    default: {
      const lower = `0x${rng.hex(40)}`;
      return rng.chance(0.5) ? toEip55(lower) : lower;
    }
  }
}

/** A pool of ordinary (unlisted) addresses per chain: real traffic repeats its addresses. */
export function addressPools(rng: Rng, perChain: number): Map<ChainId, string[]> {
  const pools = new Map<ChainId, string[]>();
  for (const [chain] of TRAFFIC_CHAINS) {
    const pool: string[] = [];
    while (pool.length < perChain) {
      const address = randomAddress(chain, rng);
      // The generator must only make addresses the screener accepts, or they would be dead letters.
      if (normalizeAddress(chain, address).ok) pool.push(address);
    }
    pools.set(chain, pool);
  }
  return pools;
}

/** A listed address in one legal spelling, and the chain an event would carry it on. */
export interface SanctionedSpelling {
  chain: ChainId;
  address: string;
  /** How it is spelled, for the run's summary: `as-listed`, `eip55`, `upper`, ... */
  spelling: string;
}

/**
 * Every address of the shipped OFAC list on a supported chain, in the spellings a producer may
 * legally write: EVM lower case, upper-case hex and EIP-55; segwit lower and upper case
 * (BIP173); CashAddr with and without its prefix, lower and upper case; base58 as listed (it
 * has exactly one spelling). Each must still match its listed entry after normalisation.
 */
export function sanctionedSpellings(csvPath: string): SanctionedSpelling[] {
  const out: SanctionedSpelling[] = [];
  const lines = readFileSync(csvPath, 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const [raw, currency] = line.split(',', 2);
    if (!raw || currency === undefined) continue;
    const listed = classifyListedAddress(raw, currency);
    if (!listed || !isSupportedChain(listed.chain)) continue;
    const chain = listed.chain;
    const spellings: Array<[string, string]> = [['as-listed', raw]];
    if (chain === 'ethereum') {
      spellings.push(['lower', listed.canonical]);
      spellings.push(['upper-hex', `0x${listed.canonical.slice(2).toUpperCase()}`]);
      spellings.push(['eip55', toEip55(listed.canonical)]);
    } else if (/^(bc1|ltc1)/i.test(raw)) {
      spellings.push(['upper', raw.toUpperCase()]);
    } else if (chain === 'bitcoin-cash') {
      const prefixed = listed.canonical;
      const bare = prefixed.slice(prefixed.indexOf(':') + 1);
      spellings.push(['cashaddr', prefixed], ['cashaddr-bare', bare]);
      spellings.push(['cashaddr-upper', prefixed.toUpperCase()]);
    }
    const seen = new Set<string>();
    for (const [spelling, address] of spellings) {
      if (seen.has(address)) continue;
      seen.add(address);
      // Listed EVM addresses are screened on every EVM chain: spread them over a few.
      const chains: readonly ChainId[] = chain === 'ethereum' ? EVM_CHAINS.slice(0, 4) : [chain];
      for (const on of chains) {
        const normalized = normalizeAddress(on, address);
        if (normalized.ok && normalized.key === listed.key) {
          out.push({ chain: on, address, spelling });
        }
      }
    }
  }
  return out;
}
