import type { ChainId } from '@sekimori/contracts';
import { MAX_ADDRESS_LENGTH, normalizeAddress } from './normalize';
import { decodeLegacyAddress } from './utxo';

/**
 * An address from a sanctions list. `chain` is a supported ChainId, `bitcoin-sv`, or
 * `other:<tag>` for currencies whose address format this library does not validate.
 */
export interface ListedAddress {
  chain: string;
  canonical: string;
  key: string;
}

const EVM_PATTERN = /^0x[0-9a-fA-F]{40}$/;
const WHITESPACE = /\s/;

// Tags under which a 32-byte base58 key is a Solana account: SOL itself and the stablecoins
// issued on Solana (no other supported chain has a 32-byte base58 address without checksum).
const SOLANA_TAGS: ReadonlySet<string> = new Set(['sol', 'usdt', 'usdc']);

function on(chain: ChainId, raw: string): ListedAddress | null {
  const normalized = normalizeAddress(chain, raw);
  return normalized.ok
    ? { chain: normalized.chain, canonical: normalized.canonical, key: normalized.key }
    : null;
}

function other(tag: string, raw: string): ListedAddress {
  const chain = `other:${tag}`;
  return { chain, canonical: raw, key: `${chain}:${raw}` };
}

/**
 * Decides the chain of a listed address from its FORMAT. OFAC's "Digital Currency Address - <TAG>"
 * names a currency, not a chain: its USDT entries are Omni (`1…`/`3…`, Bitcoin), ERC-20 (`0x…`)
 * and TRC-20 (`T…`) addresses, and it has `T…` Tron addresses under XBT. The tag only decides
 * where the format alone cannot: a base58 `1…`/`3…` address is valid on Bitcoin, Bitcoin Cash,
 * Bitcoin SV and (for `3…`) Litecoin.
 *
 * Every result on a supported chain satisfies `normalizeAddress(chain, raw).key === key`.
 * Returns null only for an empty string or one containing whitespace.
 */
export function classifyListedAddress(raw: string, tag: string): ListedAddress | null {
  if (raw.length === 0 || WHITESPACE.test(raw)) return null;
  const currency = tag.trim().toLowerCase() || 'unknown';
  if (raw.length > MAX_ADDRESS_LENGTH) return other(currency, raw);

  // ETC and other EVM chains share the address space, hence `evm:` through ethereum.
  if (EVM_PATTERN.test(raw)) return on('ethereum', raw) ?? other(currency, raw);
  const head = raw.slice(0, 4).toLowerCase();
  if (head.startsWith('bc1')) return on('bitcoin', raw) ?? other(currency, raw);
  if (head === 'ltc1') return on('litecoin', raw) ?? other(currency, raw);
  if (raw[0] === 'T') {
    const tron = on('tron', raw);
    if (tron) return tron;
  }
  if (raw[0] === 'r') {
    const ripple = on('ripple', raw);
    if (ripple) return ripple;
  }

  const legacy = decodeLegacyAddress(raw);
  if (legacy.ok) {
    const version = legacy.value[0];
    if (version === 0x00 || version === 0x05) {
      switch (currency) {
        case 'bch':
          return on('bitcoin-cash', raw) ?? other(currency, raw);
        case 'ltc':
          // Litecoin kept 0x05 (3…) but never used 0x00.
          return on('litecoin', raw) ?? other(currency, raw);
        case 'bsv':
          return { chain: 'bitcoin-sv', canonical: raw, key: `bitcoin-sv:${raw}` };
        default:
          return on('bitcoin', raw) ?? other(currency, raw);
      }
    }
    if (version === 0x30 || version === 0x32) return on('litecoin', raw) ?? other(currency, raw);
    return other(currency, raw);
  }

  if (SOLANA_TAGS.has(currency)) {
    const solana = on('solana', raw);
    if (solana) return solana;
  }
  return on('bitcoin-cash', raw) ?? other(currency, raw);
}
