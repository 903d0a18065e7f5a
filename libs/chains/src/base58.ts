import { hash } from 'node:crypto';
import { type BytesCoder, base58, base58xrp } from '@scure/base';
import { type Outcome, failure, success } from './outcome';

/**
 * Bitcoin's digits serve Litecoin, Bitcoin Cash legacy, Tron and Solana; the XRP Ledger reorders
 * them so that classic addresses start with `r` (https://xrpl.org/docs/concepts/accounts/addresses).
 */
export type Base58Alphabet = 'bitcoin' | 'xrp';

const CODERS: Readonly<Record<Base58Alphabet, BytesCoder>> = { bitcoin: base58, xrp: base58xrp };
const CHECKSUM_LENGTH = 4;

/** Decodes plain base58, or returns null when a character is not a digit of the alphabet. */
export function decodeBase58(text: string, alphabet: Base58Alphabet): Uint8Array | null {
  try {
    return CODERS[alphabet].decode(text);
  } catch {
    return null;
  }
}

export function encodeBase58(bytes: Uint8Array, alphabet: Base58Alphabet): string {
  return CODERS[alphabet].encode(bytes);
}

// @scure/base's base58check is tied to Bitcoin's digits; XRP uses the same checksum over its
// own, so the four checksum bytes are compared here for both. Node's SHA-256 is native.
function checksum(payload: Uint8Array): Buffer {
  return hash('sha256', hash('sha256', payload, 'buffer'), 'buffer').subarray(0, CHECKSUM_LENGTH);
}

/**
 * Decodes base58check: payload followed by the first 4 bytes of SHA-256(SHA-256(payload)).
 * Returns the payload (version byte included) without the checksum.
 */
export function decodeBase58Check(text: string, alphabet: Base58Alphabet): Outcome<Uint8Array> {
  const bytes = decodeBase58(text, alphabet);
  if (bytes === null) return failure('contains a character outside the base58 alphabet');
  if (bytes.length <= CHECKSUM_LENGTH) return failure('base58 data is too short');
  const payload = bytes.subarray(0, bytes.length - CHECKSUM_LENGTH);
  if (!checksum(payload).equals(bytes.subarray(payload.length))) {
    return failure('base58check checksum mismatch');
  }
  return success(payload);
}

export function encodeBase58Check(payload: Uint8Array, alphabet: Base58Alphabet): string {
  const bytes = new Uint8Array(payload.length + CHECKSUM_LENGTH);
  bytes.set(payload);
  bytes.set(checksum(payload), payload.length);
  return encodeBase58(bytes, alphabet);
}
