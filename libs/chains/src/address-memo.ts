import type { ChainId } from '@sekimori/contracts';
import { type NormalizedAddress, normalizeAddress } from './normalize';

/**
 * `normalizeAddress` with a memory of the addresses it has seen: an exchange's hot wallets,
 * deposit addresses and frequent counterparties come back in transfer after transfer, and a
 * checksum (keccak for EVM, double SHA-256 for base58) costs more than the rest of a transfer's
 * decoding. The answer is a pure function of (chain, spelling), so a remembered one is the same
 * answer. Bounded: when full it starts again empty (no eviction bookkeeping on the hot path);
 * refusals are not kept, so junk input cannot fill it.
 */
export class AddressMemo {
  /** Per chain, spelling -> answer: no key is built per lookup. */
  private readonly seen = new Map<ChainId, Map<string, NormalizedAddress>>();
  private count = 0;

  constructor(private readonly capacity = 50_000) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`address memo capacity must be a whole number >= 1, got ${capacity}`);
    }
  }

  normalize(chain: ChainId, raw: string): NormalizedAddress {
    let ofChain = this.seen.get(chain);
    const known = ofChain?.get(raw);
    if (known !== undefined) return known;
    const normalized = normalizeAddress(chain, raw);
    if (normalized.ok) {
      if (this.count >= this.capacity) {
        this.seen.clear();
        this.count = 0;
        ofChain = undefined;
      }
      if (ofChain === undefined) {
        ofChain = new Map();
        this.seen.set(chain, ofChain);
      }
      ofChain.set(raw, normalized);
      this.count += 1;
    }
    return normalized;
  }

  get size(): number {
    return this.count;
  }
}
