// Interface placeholder: the chains helper replaces this file with the real implementation.
import type { ChainId } from '@sekimori/contracts';

export type NormalizedAddress =
  | { ok: true; chain: ChainId; canonical: string; key: string }
  | { ok: false; reason: string };

export interface ListedAddress {
  chain: string;
  canonical: string;
  key: string;
}

export declare function normalizeAddress(chain: ChainId, raw: string): NormalizedAddress;
export declare function classifyListedAddress(raw: string, tag: string): ListedAddress | null;
