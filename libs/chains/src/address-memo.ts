import type { ChainId } from '@sekimori/contracts';
import { type NormalizedAddress, normalizeAddress } from './normalize';

type Generation = Map<ChainId, Map<string, NormalizedAddress>>;

/**
 * `normalizeAddress` with a memory of the addresses it has seen: an exchange's hot wallets,
 * deposit addresses and frequent counterparties come back in transfer after transfer, and a
 * checksum (keccak for EVM, double SHA-256 for base58) costs more than the rest of a transfer's
 * decoding. The answer is a pure function of (chain, spelling), so a remembered one is the same
 * answer. Refusals are not kept, so junk input cannot fill it.
 *
 * Two generations, each of at most `capacity` answers: when the recent one is full it becomes
 * the older one and the one before is dropped, and an answer found in the older generation is
 * carried into the recent one. So addresses that keep coming back survive every turnover and
 * one-off ones age out, with no bookkeeping per lookup. It is small on purpose: everything
 * it holds stays in the old space, which the screener lets grow to twice what is live there
 * before collecting it (apps/screener/src/heap-growth.ts), so it counts that many times in the
 * peak RSS.
 */
export class AddressMemo {
  /** Per chain, spelling -> answer: no key is built per lookup. */
  private recent: Generation = new Map();
  private older: Generation = new Map();
  private recentCount = 0;
  private olderCount = 0;

  constructor(private readonly capacity = 4_096) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`address memo capacity must be a whole number >= 1, got ${capacity}`);
    }
  }

  normalize(chain: ChainId, raw: string): NormalizedAddress {
    const known = this.recent.get(chain)?.get(raw);
    if (known !== undefined) return known;
    const answer = this.older.get(chain)?.get(raw) ?? normalizeAddress(chain, raw);
    if (answer.ok) this.remember(chain, raw, answer);
    return answer;
  }

  /** Answers held, in both generations (at most twice the capacity). */
  get size(): number {
    return this.recentCount + this.olderCount;
  }

  private remember(chain: ChainId, raw: string, answer: NormalizedAddress): void {
    if (this.recentCount >= this.capacity) {
      this.older = this.recent;
      this.olderCount = this.recentCount;
      this.recent = new Map();
      this.recentCount = 0;
    }
    let ofChain = this.recent.get(chain);
    if (ofChain === undefined) {
      ofChain = new Map();
      this.recent.set(chain, ofChain);
    }
    ofChain.set(raw, answer);
    this.recentCount += 1;
  }
}
