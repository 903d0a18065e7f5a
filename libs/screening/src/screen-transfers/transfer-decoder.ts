import { AddressMemo } from '@sekimori/chains';
import {
  type ChainId,
  DeadLetterCode,
  decodeInput,
  type ExchangeTransfer,
  isSupportedChain,
  type ListSide,
  type OnchainTransfer,
} from '@sekimori/contracts';

/** An address of the event, as the event spelled it and as the lists key it. */
export interface EventAddress {
  side: ListSide;
  /** Where it sits in the event, for readable errors: `from[2]`, `to`, `address`. */
  field: string;
  canonical: string;
  key: string;
}

export type ScreenableTransfer =
  | { kind: 'onchain-transfer'; event: OnchainTransfer; chain: ChainId; addresses: EventAddress[] }
  | {
      kind: 'exchange-transfer';
      event: ExchangeTransfer;
      chain: ChainId;
      addresses: EventAddress[];
    };

/** Why an input cannot be screened: its dead-letter code, a short reason, the fields at fault. */
export interface DecodeFailure {
  ok: false;
  code: DeadLetterCode;
  detail: string;
  /** Paths of the offending fields (`from[2]`, `counterparty.vaspCountry`); may be empty. */
  fields?: string[];
}

export type DecodedTransfer = ({ ok: true } & ScreenableTransfer) | DecodeFailure;

/**
 * The addresses this process has normalised recently (at most 8,192, about 2.5 MB), shared by
 * every decode: the answer depends on nothing but the chain and the spelling.
 */
const addressMemo = new AddressMemo();

function addressesOf(
  chain: ChainId,
  pairs: Array<[ListSide, string, string]>,
): EventAddress[] | Omit<DecodeFailure, 'ok'> {
  const out: EventAddress[] = [];
  for (const [side, field, raw] of pairs) {
    const normalized = addressMemo.normalize(chain, raw);
    if (!normalized.ok) {
      return {
        code: DeadLetterCode.INVALID_ADDRESS,
        detail: `${field} is not a valid ${chain} address: ${normalized.reason}`,
        fields: [field],
      };
    }
    out.push({ side, field, canonical: normalized.canonical, key: normalized.key });
  }
  return out;
}

/**
 * The edge: bytes to a screenable transfer with every address validated and normalised for
 * its chain, or the dead-letter code and a readable reason. Never throws.
 */
export function decodeTransfer(
  raw: Buffer | null,
  expected: 'onchain-transfer' | 'exchange-transfer',
  maxBytes: number,
): DecodedTransfer {
  const decoded = decodeInput(raw, expected, maxBytes);
  if (!decoded.ok) return decoded;
  const event = decoded.value;
  if (!isSupportedChain(event.chain)) {
    return {
      ok: false,
      code: DeadLetterCode.UNSUPPORTED_CHAIN,
      detail: `chain "${event.chain}" is not supported`,
      fields: ['chain'],
    };
  }
  const chain = event.chain;
  if (event.type === 'onchain-transfer') {
    const pairs: Array<[ListSide, string, string]> = event.from.map((a, i) => [
      'from',
      `from[${i}]`,
      a,
    ]);
    pairs.push(['to', 'to', event.to]);
    const addresses = addressesOf(chain, pairs);
    if (!Array.isArray(addresses)) return { ok: false, ...addresses };
    return { ok: true, kind: 'onchain-transfer', event, chain, addresses };
  }
  const exchange = event as ExchangeTransfer;
  const addresses = addressesOf(
    chain,
    exchange.address === undefined ? [] : [['address', 'address', exchange.address]],
  );
  if (!Array.isArray(addresses)) return { ok: false, ...addresses };
  return { ok: true, kind: 'exchange-transfer', event: exchange, chain, addresses };
}
