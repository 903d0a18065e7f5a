import type { ChainId } from '@sekimori/contracts';
import { normalizeBitcoinCashAddress } from './bitcoin-cash';
import { normalizeEvmAddress } from './evm';
import type { Outcome } from './outcome';
import { normalizeRippleAddress } from './ripple';
import { normalizeSolanaAddress } from './solana';
import { normalizeTronAddress } from './tron';
import { BITCOIN, LITECOIN, normalizeUtxoAddress } from './utxo';

export type NormalizedAddress =
  { ok: true; chain: ChainId; canonical: string; key: string } | { ok: false; reason: string };

/**
 * No supported address is longer than 73 characters (a prefixed P2SH32 CashAddr); segwit stops
 * at 90 (BIP173). Anything longer is rejected before any decoding work.
 */
export const MAX_ADDRESS_LENGTH = 100;

interface ChainRule {
  /**
   * The first part of the lookup key. EVM chains share one address space: the same address is
   * the same holder on each of them (docs/shared-contract.md, "Encoding"), so they share `evm`.
   */
  space: string;
  canonical: (raw: string) => Outcome<string>;
}

const evm: ChainRule = { space: 'evm', canonical: normalizeEvmAddress };

// A Record over ChainId: adding a chain to the contract breaks compilation here until it has a rule.
const RULES: Readonly<Record<ChainId, ChainRule>> = {
  bitcoin: { space: 'bitcoin', canonical: (raw) => normalizeUtxoAddress(raw, BITCOIN) },
  litecoin: { space: 'litecoin', canonical: (raw) => normalizeUtxoAddress(raw, LITECOIN) },
  'bitcoin-cash': { space: 'bitcoin-cash', canonical: normalizeBitcoinCashAddress },
  tron: { space: 'tron', canonical: normalizeTronAddress },
  solana: { space: 'solana', canonical: normalizeSolanaAddress },
  ripple: { space: 'ripple', canonical: normalizeRippleAddress },
  ethereum: evm,
  bsc: evm,
  polygon: evm,
  arbitrum: evm,
  optimism: evm,
  base: evm,
  avalanche: evm,
};

/** The Redis lookup key of a canonical address: `${space}:${canonical}`. */
export function addressKey(chain: ChainId, canonical: string): string {
  return `${RULES[chain].space}:${canonical}`;
}

function isWhitespace(code: number): boolean {
  // ASCII controls and space, NBSP, and the Unicode spaces a copy-paste can bring along.
  return code <= 0x20 || code === 0xa0 || code === 0xfeff || (code >= 0x2000 && code <= 0x200b);
}

/**
 * Validates a mainnet address for its chain and returns its canonical spelling and lookup key.
 * Nothing is trimmed: an address with surrounding whitespace is not the address.
 */
export function normalizeAddress(chain: ChainId, raw: string): NormalizedAddress {
  // Own-property lookup: `chain` comes from event data, and 'constructor' must not find a rule.
  const rule = Object.prototype.hasOwnProperty.call(RULES, chain) ? RULES[chain] : undefined;
  if (rule === undefined) return { ok: false, reason: `chain ${String(chain)} is not supported` };
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'address is empty' };
  if (raw.length > MAX_ADDRESS_LENGTH) {
    return { ok: false, reason: `address is longer than ${MAX_ADDRESS_LENGTH} characters` };
  }
  if (isWhitespace(raw.charCodeAt(0)) || isWhitespace(raw.charCodeAt(raw.length - 1))) {
    return { ok: false, reason: 'address has leading or trailing whitespace' };
  }
  const result = rule.canonical(raw);
  if (!result.ok) return result;
  return { ok: true, chain, canonical: result.value, key: `${rule.space}:${result.value}` };
}
